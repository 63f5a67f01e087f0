package org.substra.node.event.testing;

import org.substra.node.testing.TestOrchestrator;

/**
 * The real orchestrator-service of event-service's tests, launched from its packaged jar (the
 * reactor builds it first) once per test JVM: its own database {@code orchestrator_events_test}
 * (emptied at start), the test vhost, and an exchange of its own so that no other test run's events
 * arrive.
 */
public final class OrchestratorProcess {

  public static final String EXCHANGE = "events-test.orchestrator";
  public static final String DATABASE = "orchestrator_events_test";

  private final int grpcPort;

  private OrchestratorProcess(int grpcPort) {
    this.grpcPort = grpcPort;
  }

  /** The orchestrator of this JVM, started on first use and stopped when the JVM exits. */
  public static OrchestratorProcess get() {
    return new OrchestratorProcess(
        TestOrchestrator.grpcPort(TestOrchestrator.shared(DATABASE, EXCHANGE)));
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
}
