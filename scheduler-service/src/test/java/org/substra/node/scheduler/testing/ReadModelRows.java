package org.substra.node.scheduler.testing;

import io.agroal.api.AgroalDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;

/**
 * Rows of event-service's read model as a test's preconditions, with only the columns the jobs look
 * at chosen by the test.
 */
public final class ReadModelRows {

  private final AgroalDataSource dataSource;

  public ReadModelRows(AgroalDataSource dataSource) {
    this.dataSource = dataSource;
  }

  public void function(UUID key) throws SQLException {
    function(key, "", Instant.now());
  }

  /** A function whose archive has {@code archiveChecksum}, registered at {@code creationDate}. */
  public void function(UUID key, String archiveChecksum, Instant creationDate) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement insert =
            connection.prepareStatement(
                "INSERT INTO read_model.functions (key, channel, name, owner, status,"
                    + " description_checksum, description_address, archive_checksum,"
                    + " archive_address, image_checksum, image_address, process_public,"
                    + " process_authorized_ids, download_public, download_authorized_ids, metadata,"
                    + " inputs, outputs, creation_date) VALUES (?, 'mychannel', 'f', 'MyOrg1MSP',"
                    + " 'FUNCTION_STATUS_READY', '', '', ?, '', '', '', true, '{}', true, '{}',"
                    + " '{}', '{}', '{}', ?)")) {
      insert.setObject(1, key);
      insert.setString(2, archiveChecksum);
      insert.setTimestamp(3, Timestamp.from(creationDate));
      insert.executeUpdate();
    }
  }

  /** Moves a task's creation and end back in time. */
  public void taskTimes(UUID task, Instant created, Instant ended) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement update =
            connection.prepareStatement(
                "UPDATE read_model.compute_tasks SET creation_date = ?, end_date = ? WHERE key = ?")) {
      update.setTimestamp(1, Timestamp.from(created));
      update.setTimestamp(2, ended == null ? null : Timestamp.from(ended));
      update.setObject(3, task);
      update.executeUpdate();
    }
  }

  public void dataSample(UUID key) throws SQLException {
    execute(
        "INSERT INTO read_model.data_samples (key, channel, owner, checksum, creation_date)"
            + " VALUES (?, 'mychannel', 'MyOrg1MSP', '', now())",
        key);
  }

  /** A model; {@code disabled} clears its address as the ASSET_DISABLED event does. */
  public void model(UUID key, boolean disabled) throws SQLException {
    execute(
        "INSERT INTO read_model.models (key, channel, compute_task_key, owner, address_checksum,"
            + " address, process_public, process_authorized_ids, download_public,"
            + " download_authorized_ids, creation_date) VALUES (?, 'mychannel', gen_random_uuid(),"
            + " 'MyOrg1MSP', "
            + (disabled ? "NULL, NULL" : "'c', 'http://x'")
            + ", true, '{}', true, '{}', now())",
        key);
  }

  /** A task of {@code worker}, in {@code status}, started at {@code startDate} (may be null). */
  public void computeTask(
      UUID key, UUID plan, UUID function, String worker, String status, Instant startDate)
      throws SQLException {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement insert =
            connection.prepareStatement(
                "INSERT INTO read_model.compute_tasks (key, channel, compute_plan_key,"
                    + " function_key, owner, worker, rank, status, tag, metadata, logs_public,"
                    + " logs_authorized_ids, creation_date, start_date) VALUES (?, 'mychannel', ?,"
                    + " ?, ?, ?, 0, ?, '', '{}', true, '{}', now() - interval '1 day', ?)")) {
      insert.setObject(1, key);
      insert.setObject(2, plan);
      insert.setObject(3, function);
      insert.setString(4, worker);
      insert.setString(5, worker);
      insert.setString(6, status);
      insert.setTimestamp(7, startDate == null ? null : Timestamp.from(startDate));
      insert.executeUpdate();
    }
  }

  /** The work message event-service published for {@code task}, {@code age} ago. */
  public void publishedTaskMessage(
      UUID task, String routingKey, String body, java.time.Duration age) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement insert =
            connection.prepareStatement(
                "INSERT INTO read_model.work_outbox (id, kind, routing_key, body, created_at,"
                    + " published_at) VALUES (?, 'task', ?, ?, ?, ?)")) {
      Timestamp at = Timestamp.from(Instant.now().minus(age));
      insert.setString(1, "task:" + task);
      insert.setString(2, routingKey);
      insert.setString(3, body);
      insert.setTimestamp(4, at);
      insert.setTimestamp(5, at);
      insert.executeUpdate();
    }
  }

  private void execute(String sql, UUID key) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement insert = connection.prepareStatement(sql)) {
      insert.setObject(1, key);
      insert.executeUpdate();
    }
  }
}
