package org.substra.node.event.testing;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.substra.node.testing.PackagedService;

/**
 * The real orchestrator-service, launched from its packaged jar (the reactor builds it first) as a
 * child process, once per test JVM: its own database {@code orchestrator_events_test} (emptied at
 * start), the test vhost, and an exchange of its own so that no other test run's events arrive.
 */
public final class OrchestratorProcess {

  public static final String EXCHANGE = "events-test.orchestrator";
  public static final String DATABASE = "orchestrator_events_test";

  private final PackagedService service;
  private final int grpcPort;

  private OrchestratorProcess(PackagedService service, int grpcPort) {
    this.service = service;
    this.grpcPort = grpcPort;
  }

  /** The orchestrator of this JVM, started on first use and stopped when the JVM exits. */
  public static OrchestratorProcess get() {
    PackagedService service =
        PackagedService.shared("event-service-tests.orchestrator", OrchestratorProcess::start);
    return new OrchestratorProcess(
        service, Integer.parseInt(service.setting("quarkus.grpc.server.port")));
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

  private static PackagedService start() {
    int grpcPort = PackagedService.freePort();
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("quarkus.grpc.server.port", String.valueOf(grpcPort));
    settings.put("quarkus.datasource.reactive.url", "postgresql://127.0.0.1:5432/" + DATABASE);
    settings.put("quarkus.datasource.jdbc.url", "jdbc:postgresql://127.0.0.1:5432/" + DATABASE);
    settings.put("quarkus.flyway.clean-disabled", "false");
    settings.put("quarkus.flyway.clean-at-start", "true");
    settings.put("node.rabbitmq.virtual-host", "substra_test");
    settings.put("orchestrator.events.exchange", EXCHANGE);
    settings.put("orchestrator.channels.mychannel", "MyOrg1MSP,MyOrg2MSP");
    return PackagedService.start(
        "orchestrator-service",
        settings,
        Path.of("target", "orchestrator-process.log"),
        "/q/health/ready");
  }
}
