package org.substra.node.scheduler.stuckwork;

import io.agroal.api.AgroalDataSource;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Tasks of this organization that look stuck in event-service's read model, and this job's own
 * record of its re-dispatches ({@code scheduler.task_redispatches}).
 */
@Singleton
public class StuckTaskRepository {

  /** A task EXECUTING for too long. */
  public record Executing(UUID key, String channel) {}

  /** A task waiting for an executor slot long after its work message went out. */
  public record Waiting(
      UUID key, String channel, String routingKey, String body, int redispatches) {}

  private final AgroalDataSource dataSource;

  StuckTaskRepository(AgroalDataSource dataSource) {
    this.dataSource = dataSource;
  }

  public List<Executing> executingSince(String worker, List<String> channels, Duration timeout)
      throws SQLException {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select =
            connection.prepareStatement(
                "SELECT key, channel FROM read_model.compute_tasks"
                    + " WHERE worker = ? AND channel = ANY(?) AND status = 'STATUS_EXECUTING'"
                    + " AND start_date < now() - make_interval(secs => ?)"
                    + " ORDER BY start_date")) {
      select.setString(1, worker);
      select.setArray(2, connection.createArrayOf("text", channels.toArray()));
      select.setDouble(3, timeout.toMillis() / 1000.0);
      List<Executing> tasks = new ArrayList<>();
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          tasks.add(new Executing(rows.getObject(1, UUID.class), rows.getString(2)));
        }
      }
      return tasks;
    }
  }

  /**
   * Waiting tasks whose last dispatch (the outbox publication, or this job's last re-dispatch) is
   * older than {@code timeout}. Messages event-service has not published yet are its own business.
   */
  public List<Waiting> waitingSince(String worker, List<String> channels, Duration timeout)
      throws SQLException {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select =
            connection.prepareStatement(
                "SELECT t.key, t.channel, o.routing_key, o.body, coalesce(r.attempts, 0)"
                    + " FROM read_model.compute_tasks t"
                    + " JOIN read_model.work_outbox o ON o.id = 'task:' || t.key::text"
                    + " LEFT JOIN scheduler.task_redispatches r ON r.task_key = t.key"
                    + " WHERE t.worker = ? AND t.channel = ANY(?)"
                    + " AND t.status = 'STATUS_WAITING_FOR_EXECUTOR_SLOT'"
                    + " AND o.published_at IS NOT NULL"
                    + " AND greatest(o.published_at, r.last_at) < now() - make_interval(secs => ?)"
                    + " ORDER BY o.seq")) {
      select.setString(1, worker);
      select.setArray(2, connection.createArrayOf("text", channels.toArray()));
      select.setDouble(3, timeout.toMillis() / 1000.0);
      List<Waiting> tasks = new ArrayList<>();
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          tasks.add(
              new Waiting(
                  rows.getObject(1, UUID.class),
                  rows.getString(2),
                  rows.getString(3),
                  rows.getString(4),
                  rows.getInt(5)));
        }
      }
      return tasks;
    }
  }

  /** Counts one more re-dispatch of {@code task}, now. */
  public void recordRedispatch(UUID task) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement upsert =
            connection.prepareStatement(
                "INSERT INTO scheduler.task_redispatches (task_key, attempts, last_at)"
                    + " VALUES (?, 1, now()) ON CONFLICT (task_key)"
                    + " DO UPDATE SET attempts = task_redispatches.attempts + 1, last_at = now()")) {
      upsert.setObject(1, task);
      upsert.executeUpdate();
    }
  }
}
