package org.substra.node.scheduler.reconciliation;

import io.agroal.api.AgroalDataSource;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The read model's tasks that are not finished, whichever organization works on them. */
@Singleton
public class UnfinishedTaskRepository {

  /** A task as the read model has it. */
  public record Task(UUID key, String channel, String status) {}

  private final AgroalDataSource dataSource;

  UnfinishedTaskRepository(AgroalDataSource dataSource) {
    this.dataSource = dataSource;
  }

  public List<Task> oldest(List<String> channels, int limit) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select =
            connection.prepareStatement(
                "SELECT key, channel, status FROM read_model.compute_tasks"
                    + " WHERE channel = ANY(?)"
                    + " AND status NOT IN ('STATUS_DONE', 'STATUS_CANCELED', 'STATUS_FAILED')"
                    + " ORDER BY creation_date, key LIMIT ?")) {
      select.setArray(1, connection.createArrayOf("text", channels.toArray()));
      select.setInt(2, limit);
      List<Task> tasks = new ArrayList<>();
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          tasks.add(new Task(rows.getObject(1, UUID.class), rows.getString(2), rows.getString(3)));
        }
      }
      return tasks;
    }
  }
}
