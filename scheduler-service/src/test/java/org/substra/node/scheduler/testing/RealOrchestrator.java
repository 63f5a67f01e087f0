package org.substra.node.scheduler.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.substra.node.testing.LocalInfrastructure;
import org.substra.node.testing.PackagedService;
import org.substra.node.testing.TestOrchestrator;

/**
 * The real orchestrator-service, from its packaged jar, for the tests of jobs that call it: its own
 * database {@code orchestrator_scheduler_test} (+ {@code NODE_TEST_DB_SUFFIX}; created when
 * missing, emptied at start), the test vhost and an exchange of its own. The service under test is
 * pointed at it.
 */
public class RealOrchestrator implements QuarkusTestResourceLifecycleManager {

  public static final String DATABASE =
      "orchestrator_scheduler_test" + System.getenv().getOrDefault("NODE_TEST_DB_SUFFIX", "");
  private static PackagedService service;
  private static int grpcPort;

  @Override
  public Map<String, String> start() {
    LocalInfrastructure.ensureRunning();
    createDatabaseIfMissing();
    service =
        TestOrchestrator.start(
            DATABASE, "sched-test.orchestrator", Path.of("target", "orchestrator-process.log"));
    grpcPort = TestOrchestrator.grpcPort(service);
    return Map.of(
        "quarkus.grpc.clients.orchestrator.host", "127.0.0.1",
        "quarkus.grpc.clients.orchestrator.port", String.valueOf(grpcPort),
        "quarkus.grpc.clients.orchestrator.test-port", String.valueOf(grpcPort));
  }

  /** {@code ./node infra} creates the databases of the other suites; this one is made here. */
  private static void createDatabaseIfMissing() {
    String admin =
        "jdbc:postgresql://"
            + LocalInfrastructure.HOST
            + ":"
            + LocalInfrastructure.POSTGRESQL_PORT
            + "/postgres";
    try (Connection connection =
            DriverManager.getConnection(
                admin, LocalInfrastructure.DB_USER, LocalInfrastructure.DB_PASSWORD);
        Statement statement = connection.createStatement()) {
      try (ResultSet exists =
          statement.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
        if (exists.next()) {
          return;
        }
      }
      statement.execute("CREATE DATABASE " + DATABASE);
    } catch (SQLException e) {
      throw new IllegalStateException("database " + DATABASE + " not available", e);
    }
  }

  public static int grpcPort() {
    return grpcPort;
  }

  @Override
  public void stop() {
    if (service != null) {
      service.close();
      service = null;
    }
  }
}
