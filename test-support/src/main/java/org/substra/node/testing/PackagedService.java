package org.substra.node.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A service's packaged application ({@code <module>/target/quarkus-app/quarkus-run.jar}) run as a
 * child process, for tests that need a real process: one they can kill like a crash would, or a
 * dependency that must not share the test's JVM.
 */
public final class PackagedService implements AutoCloseable {

  private final String module;
  private final Process process;
  private final int httpPort;

  private PackagedService(String module, Process process, int httpPort) {
    this.module = module;
    this.process = process;
    this.httpPort = httpPort;
  }

  /**
   * Starts {@code module}'s application with {@code settings} (system properties) on a free HTTP
   * port, its output appended to {@code log}, and waits until {@code probe} answers 200.
   */
  public static PackagedService start(
      String module, Map<String, String> settings, Path log, String probe) {
    Path jar = locate(module + "/target/quarkus-app/quarkus-run.jar");
    int httpPort = freePort();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // Small and quick to start: these processes live for one test class at most.
    command.addAll(
        List.of(
            "-Xmx256m",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-Dquarkus.http.port=" + httpPort));
    settings.forEach((key, value) -> command.add("-D" + key + "=" + value));
    command.addAll(List.of("-jar", jar.toString()));
    try {
      Files.createDirectories(log.toAbsolutePath().getParent());
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
      PackagedService service = new PackagedService(module, process, httpPort);
      service.awaitReady(probe, Duration.ofSeconds(90), log);
      return service;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public int httpPort() {
    return httpPort;
  }

  /** SIGKILL: no shutdown hook, no last acknowledgement, no last commit. */
  public void kill() throws InterruptedException {
    process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
  }

  /** A normal stop, forced after 10 s. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void awaitReady(String probe, Duration patience, Path log) {
    long deadline = System.nanoTime() + patience.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(module + " exited; see " + log.toAbsolutePath());
      }
      try {
        HttpURLConnection connection =
            (HttpURLConnection)
                URI.create("http://127.0.0.1:" + httpPort + probe).toURL().openConnection();
        connection.setConnectTimeout(500);
        connection.setReadTimeout(5000);
        if (connection.getResponseCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // Still starting.
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    close();
    throw new IllegalStateException(
        module + " not ready within " + patience + "; see " + log.toAbsolutePath());
  }

  /** {@code relative} in this checkout, searched from the working directory upwards. */
  static Path locate(String relative) {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve(relative);
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException(relative + " not found: package it first (./mvnw package)");
  }

  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
