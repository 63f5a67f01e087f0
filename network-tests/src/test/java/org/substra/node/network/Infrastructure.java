package org.substra.node.network;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.substra.node.testing.LocalInfrastructure;
import org.substra.node.testing.PackagedService;

/** Fresh databases, and object stores of their own, for the organizations of a test network. */
final class Infrastructure {

  static final List<String> BUCKETS =
      List.of(
          "substra-datasample",
          "substra-model",
          "substra-function",
          "substra-datamanager",
          "substra-asset-logs");

  private Infrastructure() {}

  /** Drops and creates {@code database}: every run starts from empty schemas. */
  static void freshDatabase(String database) {
    String url =
        "jdbc:postgresql://"
            + LocalInfrastructure.HOST
            + ":"
            + LocalInfrastructure.POSTGRESQL_PORT
            + "/postgres";
    try (Connection connection =
            DriverManager.getConnection(
                url, LocalInfrastructure.DB_USER, LocalInfrastructure.DB_PASSWORD);
        Statement statement = connection.createStatement()) {
      statement.execute("DROP DATABASE IF EXISTS \"" + database + "\" WITH (FORCE)");
      statement.execute("CREATE DATABASE \"" + database + "\"");
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create database " + database, e);
    }
  }

  /** An S3Proxy on its own port with its own data folder: the organization's object storage. */
  static final class ObjectStore implements AutoCloseable {
    final int port = PackagedService.freePort();
    private final Process process;

    ObjectStore(Path folder, Path log) {
      try {
        Path data = folder.resolve("data");
        for (String bucket : BUCKETS) {
          Files.createDirectories(data.resolve(bucket));
        }
        Path properties = folder.resolve("s3proxy.properties");
        Files.writeString(
            properties,
            String.join(
                "\n",
                "s3proxy.endpoint=http://127.0.0.1:" + port,
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + LocalInfrastructure.S3_ACCESS_KEY,
                "s3proxy.credential=" + LocalInfrastructure.S3_SECRET_KEY,
                "jclouds.provider=filesystem",
                "jclouds.filesystem.basedir=" + data.toAbsolutePath(),
                ""));
        Files.createDirectories(log.toAbsolutePath().getParent());
        process =
            new ProcessBuilder(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx128m",
                    "-XX:+UseSerialGC",
                    "-XX:TieredStopAtLevel=1",
                    "-jar",
                    s3proxyJar().toString(),
                    "--properties",
                    properties.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!answers(port)) {
        if (!process.isAlive() || System.nanoTime() > deadline) {
          close();
          throw new IllegalStateException("the S3 store did not start; see " + log);
        }
        sleep(100);
      }
    }

    @Override
    public void close() {
      process.destroy();
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** The S3Proxy jar this module depends on, from the test class path Maven gives. */
  private static Path s3proxyJar() {
    String classPath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    return Stream.of(classPath.split(File.pathSeparator))
        .filter(entry -> entry.contains("s3proxy") && entry.endsWith("jar-with-dependencies.jar"))
        .map(Path::of)
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("s3proxy is not on " + classPath));
  }

  static boolean answers(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
