package org.substra.node.scheduler.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.substra.node.testing.LocalInfrastructure;
import org.substra.node.testing.PackagedService;

/**
 * Two replicas of the packaged scheduler-service on one job store: each firing of a job runs once,
 * on one of them, not once per replica.
 */
class ClusteredSchedulingIT {

  private static final String DATABASE =
      "substra_test" + System.getenv().getOrDefault("NODE_TEST_DB_SUFFIX", "");
  private static final String JDBC =
      "jdbc:postgresql://"
          + LocalInfrastructure.HOST
          + ":"
          + LocalInfrastructure.POSTGRESQL_PORT
          + "/"
          + DATABASE;
  private static final String JOB = "token-flush";

  @Test
  void twoReplicasRunEachFiringOnce() throws Exception {
    LocalInfrastructure.ensureRunning();
    try (PackagedService first = replica("first");
        PackagedService second = replica("second")) {
      // Both replicas are up and have reconciled the trigger: count from here on.
      Instant from = Instant.now();
      Thread.sleep(12_000);
      Instant to = Instant.now();
      assertThat(first.isAlive()).isTrue();
      assertThat(second.isAlive()).isTrue();

      List<Instant> fireTimes = new ArrayList<>();
      Set<String> instances = new HashSet<>();
      try (Connection connection =
              DriverManager.getConnection(
                  JDBC, LocalInfrastructure.DB_USER, LocalInfrastructure.DB_PASSWORD);
          PreparedStatement select =
              connection.prepareStatement(
                  "SELECT scheduled_fire_time, instance FROM scheduler.job_runs"
                      + " WHERE job = ? AND scheduled_fire_time >= ? AND scheduled_fire_time < ?")) {
        select.setString(1, JOB);
        select.setTimestamp(2, Timestamp.from(from));
        select.setTimestamp(3, Timestamp.from(to));
        try (ResultSet rows = select.executeQuery()) {
          while (rows.next()) {
            fireTimes.add(rows.getTimestamp(1).toInstant());
            instances.add(rows.getString(2));
          }
        }
      }
      // One firing per second over 12 s (fewer on a loaded machine: a late firing is skipped, not
      // caught up): each replica firing on its own would give about twice as many.
      assertThat(fireTimes).doesNotHaveDuplicates();
      assertThat(fireTimes.size()).isBetween(6, 13);
      assertThat(instances).isNotEmpty();
    }
  }

  private static PackagedService replica(String name) throws SQLException {
    return PackagedService.start(
        "scheduler-service",
        Map.of(
            "quarkus.datasource.jdbc.url",
            JDBC,
            "quarkus.datasource.reactive.url",
            "postgresql://"
                + LocalInfrastructure.HOST
                + ":"
                + LocalInfrastructure.POSTGRESQL_PORT
                + "/"
                + DATABASE,
            "quarkus.quartz.cluster-checkin-interval",
            "2000",
            "scheduler.token-flush.every",
            "1s"),
        Path.of("target", "clustered-scheduling-" + name + ".log"),
        "/q/health/live");
  }
}
