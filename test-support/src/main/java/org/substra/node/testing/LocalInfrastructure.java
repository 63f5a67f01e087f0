package org.substra.node.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The real PostgreSQL, RabbitMQ and S3 store the tests use: the addresses and credentials that
 * {@code ./node infra} sets up (overridable with the same NODE_* variables), and a way to make sure
 * they run when a test is started outside the Maven build, from an IDE for example.
 */
public final class LocalInfrastructure {

  public static final String HOST = env("NODE_PG_HOST", "127.0.0.1");
  public static final int POSTGRESQL_PORT = Integer.parseInt(env("NODE_PG_PORT", "5432"));
  public static final String DB_USER = env("NODE_DB_USER", "substra");
  public static final String DB_PASSWORD = env("NODE_DB_PASSWORD", "substra");
  public static final String RABBITMQ_HOST = env("NODE_RABBITMQ_HOST", "127.0.0.1");
  public static final int RABBITMQ_PORT = Integer.parseInt(env("NODE_RABBITMQ_PORT", "5672"));
  public static final String RABBITMQ_USER = env("NODE_RABBITMQ_USER", "substra");
  public static final String RABBITMQ_PASSWORD = env("NODE_RABBITMQ_PASSWORD", "substra");
  public static final String RABBITMQ_TEST_VHOST = "substra_test";
  public static final int S3_PORT = Integer.parseInt(env("NODE_S3_PORT", "9100"));
  public static final String S3_ACCESS_KEY = env("NODE_S3_ACCESS_KEY", "minio");
  public static final String S3_SECRET_KEY = env("NODE_S3_SECRET_KEY", "minio1234");

  private static boolean ensured;

  private LocalInfrastructure() {}

  /** Runs {@code ./node infra} once per JVM when one of the three servers does not answer. */
  public static synchronized void ensureRunning() {
    if (ensured) {
      return;
    }
    if (!(answers(HOST, POSTGRESQL_PORT)
        && answers(RABBITMQ_HOST, RABBITMQ_PORT)
        && answers("127.0.0.1", S3_PORT))) {
      Path script = findNodeScript();
      try {
        Process process =
            new ProcessBuilder(List.of("bash", script.toString(), "infra")).inheritIO().start();
        if (process.waitFor() != 0) {
          throw new IllegalStateException(
              script + " infra failed: the local infrastructure is not available for the tests");
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    ensured = true;
  }

  static boolean answers(String host, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 1_000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static Path findNodeScript() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("node");
      if (Files.isRegularFile(candidate) && Files.exists(dir.resolve("pom.xml"))) {
        return candidate;
      }
    }
    throw new IllegalStateException(
        "the local infrastructure is down and the ./node script was not found above "
            + Path.of("").toAbsolutePath());
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
