package org.substra.node.event.testing;

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
import java.util.concurrent.TimeUnit;

/**
 * The real orchestrator-service, launched from its packaged jar (the reactor builds it first) as a
 * child process, once per test JVM: its own database {@code orchestrator_events_test} (emptied at
 * start), the test vhost, and an exchange of its own so that no other test run's events arrive.
 */
public final class OrchestratorProcess {

  public static final String EXCHANGE = "events-test.orchestrator";
  public static final String DATABASE = "orchestrator_events_test";

  private static OrchestratorProcess running;

  private final Process process;
  private final int grpcPort;

  private OrchestratorProcess(Process process, int grpcPort) {
    this.process = process;
    this.grpcPort = grpcPort;
  }

  /** The orchestrator of this JVM, started on first use and stopped when the JVM exits. */
  public static synchronized OrchestratorProcess get() {
    if (running == null || !running.process.isAlive()) {
      running = start();
      OrchestratorProcess started = running;
      Runtime.getRuntime().addShutdownHook(new Thread(started::stop));
    }
    return running;
  }

  public int grpcPort() {
    return grpcPort;
  }

  /** The position and id of the last event of {@code channel}, read from the orchestrator's log. */
  public static java.util.Map.Entry<Long, String> lastEvent(String channel) {
    try (java.sql.Connection db =
            java.sql.DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:5432/" + DATABASE, "substra", "substra");
        java.sql.PreparedStatement select =
            db.prepareStatement(
                "SELECT position, id::text FROM events WHERE channel = ?"
                    + " ORDER BY position DESC LIMIT 1")) {
      select.setString(1, channel);
      try (java.sql.ResultSet row = select.executeQuery()) {
        return row.next() ? java.util.Map.entry(row.getLong(1), row.getString(2)) : null;
      }
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static OrchestratorProcess start() {
    Path jar = locate("orchestrator-service/target/quarkus-app/quarkus-run.jar");
    int grpcPort = freePort();
    int httpPort = freePort();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(
        List.of(
            "-Xmx256m",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-Dquarkus.http.port=" + httpPort,
            "-Dquarkus.grpc.server.port=" + grpcPort,
            "-Dquarkus.datasource.reactive.url=postgresql://127.0.0.1:5432/" + DATABASE,
            "-Dquarkus.datasource.jdbc.url=jdbc:postgresql://127.0.0.1:5432/" + DATABASE,
            "-Dquarkus.flyway.clean-disabled=false",
            "-Dquarkus.flyway.clean-at-start=true",
            "-Dnode.rabbitmq.virtual-host=substra_test",
            "-Dorchestrator.events.exchange=" + EXCHANGE,
            "-Dorchestrator.channels.mychannel=MyOrg1MSP,MyOrg2MSP",
            "-jar",
            jar.toString()));
    Path log = Path.of("target", "orchestrator-process.log");
    try {
      Files.createDirectories(log.getParent());
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
      OrchestratorProcess orchestrator = new OrchestratorProcess(process, grpcPort);
      orchestrator.awaitReady(httpPort, Duration.ofSeconds(90), log);
      return orchestrator;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void awaitReady(int httpPort, Duration patience, Path log) {
    long deadline = System.nanoTime() + patience.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("orchestrator-service exited; see " + log.toAbsolutePath());
      }
      try {
        HttpURLConnection connection =
            (HttpURLConnection)
                URI.create("http://127.0.0.1:" + httpPort + "/q/health/ready")
                    .toURL()
                    .openConnection();
        connection.setConnectTimeout(500);
        connection.setReadTimeout(2000);
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
    stop();
    throw new IllegalStateException(
        "orchestrator-service not ready within " + patience + "; see " + log.toAbsolutePath());
  }

  public void stop() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static Path locate(String relative) {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve(relative);
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException(
        relative + " not found: build it first (./mvnw -pl event-service -am install)");
  }

  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
