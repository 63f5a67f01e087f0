package org.substra.node.scheduler.jobs;

import io.agroal.api.AgroalDataSource;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

/** {@code scheduler.job_runs}: one row per run. */
@Singleton
public class JobRunRepository {

  private final AgroalDataSource dataSource;

  JobRunRepository(AgroalDataSource dataSource) {
    this.dataSource = dataSource;
  }

  void insert(
      String job,
      String instance,
      Instant scheduledFireTime,
      Instant startedAt,
      long durationMs,
      String outcome,
      String summary) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement insert =
            connection.prepareStatement(
                "INSERT INTO scheduler.job_runs"
                    + " (job, instance, scheduled_fire_time, started_at, duration_ms, outcome,"
                    + " summary) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      insert.setString(1, job);
      insert.setString(2, instance);
      insert.setTimestamp(3, scheduledFireTime == null ? null : Timestamp.from(scheduledFireTime));
      insert.setTimestamp(4, Timestamp.from(startedAt));
      insert.setLong(5, durationMs);
      insert.setString(6, outcome);
      insert.setString(7, summary);
      insert.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("job run of " + job + " not recorded", e);
    }
  }
}
