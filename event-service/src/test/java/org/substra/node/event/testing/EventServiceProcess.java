package org.substra.node.event.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The packaged event-service as a child process, that a test can kill like a crash would. */
public final class EventServiceProcess implements AutoCloseable {

  private final Process process;
  private final int httpPort;

  private EventServiceProcess(Process process, int httpPort) {
    this.process = process;
    this.httpPort = httpPort;
  }

  /** Starts the packaged application with {@code settings}, and waits until it is ready. */
  public static EventServiceProcess start(Map<String, String> settings, Path log) {
    return start(settings, log, "/q/health/ready");
  }

  /** Starts it and waits until {@code probe} answers 200. */
  public static EventServiceProcess start(Map<String, String> settings, Path log, String probe) {
    Path jar = OrchestratorProcess.locate("event-service/target/quarkus-app/quarkus-run.jar");
    int httpPort = OrchestratorProcess.freePort();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-Xmx256m", "-XX:+UseSerialGC", "-Dquarkus.http.port=" + httpPort));
    settings.forEach((key, value) -> command.add("-D" + key + "=" + value));
    command.addAll(List.of("-jar", jar.toString()));
    try {
      Files.createDirectories(log.getParent());
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
      EventServiceProcess service = new EventServiceProcess(process, httpPort);
      service.awaitReady(probe, Duration.ofSeconds(90), log);
      return service;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void awaitReady(String probe, Duration patience, Path log) {
    long deadline = System.nanoTime() + patience.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("event-service exited; see " + log.toAbsolutePath());
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
    throw new IllegalStateException(
        "event-service not ready within " + patience + "; see " + log.toAbsolutePath());
  }

  /** SIGKILL: no shutdown hook, no last acknowledgement, no last commit. */
  public void kill() throws InterruptedException {
    process.destroyForcibly().waitFor();
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    process.waitFor();
  }
}
