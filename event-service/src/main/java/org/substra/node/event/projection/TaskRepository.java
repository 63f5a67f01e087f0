package org.substra.node.event.projection;

import static org.substra.node.event.projection.Rows.json;
import static org.substra.node.event.projection.Rows.permission;
import static org.substra.node.event.projection.Rows.time;
import static org.substra.node.event.projection.Rows.uuid;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.substra.node.orchestrator.protocol.ComputeTask;
import org.substra.node.orchestrator.protocol.ComputeTaskInput;
import org.substra.node.orchestrator.protocol.ComputeTaskOutput;
import org.substra.node.orchestrator.protocol.ComputeTaskStatus;
import org.substra.node.orchestrator.protocol.ErrorType;
import org.substra.node.orchestrator.protocol.Permissions;

/** Queries of {@code compute_tasks} and their inputs and outputs. */
@ApplicationScoped
public class TaskRepository {

  static final String TAG_METADATA_KEY = "__tag__";
  static final Set<ComputeTaskStatus> FINAL =
      Set.of(
          ComputeTaskStatus.STATUS_DONE,
          ComputeTaskStatus.STATUS_CANCELED,
          ComputeTaskStatus.STATUS_FAILED);

  /** A task's status before an update, and its end date after it. */
  record StatusChange(ComputeTaskStatus before, OffsetDateTime endDate) {}

  /** Inserts a task seen for the first time, with its inputs and outputs; false when known. */
  boolean insert(Connection db, String channel, ComputeTask task, OffsetDateTime at)
      throws SQLException {
    Map<String, String> metadata = new HashMap<>(task.getMetadataMap());
    String tag = metadata.remove(TAG_METADATA_KEY);
    ComputeTaskStatus status = task.getStatus();
    JsonArray inputs = new JsonArray();
    for (ComputeTaskInput in : task.getInputsList()) {
      boolean parent = in.hasParentTaskOutput();
      inputs.add(
          new JsonObject()
              .put("identifier", in.getIdentifier())
              .put("asset_key", parent ? null : in.getAssetKey())
              .put("parent_task_key", parent ? in.getParentTaskOutput().getParentTaskKey() : null)
              .put(
                  "parent_task_output_identifier",
                  parent ? in.getParentTaskOutput().getOutputIdentifier() : null));
    }
    JsonArray outputs = new JsonArray();
    for (Map.Entry<String, ComputeTaskOutput> out : task.getOutputsMap().entrySet()) {
      Permissions permissions = out.getValue().getPermissions();
      outputs.add(
          new JsonObject()
              .put("identifier", out.getKey())
              .put("process_public", permissions.getProcess().getPublic())
              .put("process_ids", new JsonArray(permissions.getProcess().getAuthorizedIdsList()))
              .put("download_public", permissions.getDownload().getPublic())
              .put("download_ids", new JsonArray(permissions.getDownload().getAuthorizedIdsList()))
              .put("transient", out.getValue().getTransient()));
    }
    // One round trip for the task, its inputs and its outputs: the projection's hot path.
    try (PreparedStatement insert =
        db.prepareStatement(
            "WITH task AS (INSERT INTO compute_tasks (key, channel, compute_plan_key,"
                + " function_key, owner, worker, rank, status, tag, metadata, logs_public,"
                + " logs_authorized_ids, creation_date, start_date, end_date, error_type)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (key) DO NOTHING RETURNING key),"
                + " inputs AS (INSERT INTO compute_task_inputs (compute_task_key, position,"
                + " identifier, asset_key, parent_task_key, parent_task_output_identifier)"
                + " SELECT task.key, i.position - 1, i.input->>'identifier',"
                + " (i.input->>'asset_key')::uuid, (i.input->>'parent_task_key')::uuid,"
                + " i.input->>'parent_task_output_identifier'"
                + " FROM task, jsonb_array_elements(?::jsonb) WITH ORDINALITY AS i(input, position)),"
                + " outputs AS (INSERT INTO compute_task_outputs (compute_task_key, identifier,"
                + " process_public, process_authorized_ids, download_public,"
                + " download_authorized_ids, transient)"
                + " SELECT task.key, o->>'identifier', (o->>'process_public')::boolean,"
                + " ARRAY(SELECT jsonb_array_elements_text(o->'process_ids')),"
                + " (o->>'download_public')::boolean,"
                + " ARRAY(SELECT jsonb_array_elements_text(o->'download_ids')),"
                + " (o->>'transient')::boolean FROM task, jsonb_array_elements(?::jsonb) o)"
                + " SELECT count(*) FROM task")) {
      int i = 1;
      insert.setObject(i++, uuid(task.getKey()));
      insert.setString(i++, channel);
      insert.setObject(i++, uuid(task.getComputePlanKey()));
      insert.setObject(i++, uuid(task.getFunctionKey()));
      insert.setString(i++, task.getOwner());
      insert.setString(i++, task.getWorker());
      insert.setInt(i++, task.getRank());
      insert.setString(i++, status.name());
      insert.setString(i++, tag == null ? "" : tag);
      insert.setString(i++, json(metadata));
      i = permission(insert, i, task.getLogsPermission());
      insert.setObject(i++, time(task.getCreationDate()));
      insert.setObject(
          i++,
          status == ComputeTaskStatus.STATUS_EXECUTING ? at : null,
          Types.TIMESTAMP_WITH_TIMEZONE);
      insert.setObject(i++, FINAL.contains(status) ? at : null, Types.TIMESTAMP_WITH_TIMEZONE);
      insert.setString(i++, status == ComputeTaskStatus.STATUS_FAILED ? provisionalError() : null);
      insert.setString(i++, inputs.encode());
      insert.setString(i, outputs.encode());
      try (ResultSet inserted = insert.executeQuery()) {
        return inserted.next() && inserted.getLong(1) == 1;
      }
    }
  }

  /**
   * Moves a known task to the status of {@code task}, dating its start (first EXECUTING) and end
   * (first final status) at {@code at}. Returns null for an unknown task.
   */
  StatusChange updateStatus(Connection db, ComputeTask task, OffsetDateTime at)
      throws SQLException {
    ComputeTaskStatus status = task.getStatus();
    try (PreparedStatement update =
        db.prepareStatement(
            "UPDATE compute_tasks t SET status = ?,"
                + " start_date = CASE WHEN ? THEN coalesce(t.start_date, ?) ELSE t.start_date END,"
                + " end_date = CASE WHEN ? THEN coalesce(t.end_date, ?) ELSE t.end_date END,"
                + " error_type = CASE WHEN ? THEN coalesce(t.error_type, ?) ELSE t.error_type END"
                + " FROM (SELECT key, status FROM compute_tasks WHERE key = ? FOR UPDATE) old"
                + " WHERE t.key = old.key RETURNING old.status, t.end_date")) {
      update.setString(1, status.name());
      update.setBoolean(2, status == ComputeTaskStatus.STATUS_EXECUTING);
      update.setObject(3, at);
      update.setBoolean(4, FINAL.contains(status));
      update.setObject(5, at);
      update.setBoolean(6, status == ComputeTaskStatus.STATUS_FAILED);
      update.setString(7, provisionalError());
      update.setObject(8, uuid(task.getKey()));
      try (ResultSet row = update.executeQuery()) {
        if (!row.next()) {
          return null;
        }
        return new StatusChange(
            ComputeTaskStatus.valueOf(row.getString(1)), row.getObject(2, OffsetDateTime.class));
      }
    }
  }

  /** Copies a failure report onto the failed task, or onto the failed tasks of a function. */
  void recordFailure(
      Connection db,
      String assetKey,
      boolean function,
      ErrorType errorType,
      String logsChecksum,
      String logsAddress,
      String owner)
      throws SQLException {
    try (PreparedStatement update =
        db.prepareStatement(
            "UPDATE compute_tasks SET error_type = ?, failure_logs_checksum = ?,"
                + " failure_logs_address = ?, failure_report_owner = ? WHERE "
                + (function ? "function_key = ? AND status = 'STATUS_FAILED'" : "key = ?"))) {
      update.setString(1, apiErrorType(errorType));
      update.setString(2, logsChecksum);
      update.setString(3, logsAddress);
      update.setString(4, owner);
      update.setObject(5, uuid(assetKey));
      update.executeUpdate();
    }
  }

  /**
   * FAILED is never served without an error type (rest-api-spec §10 #17): until the failure report
   * that follows in the same orchestrator transaction says which, it is an internal error.
   */
  private static String provisionalError() {
    return "INTERNAL_ERROR";
  }

  static String apiErrorType(ErrorType type) {
    return switch (type) {
      case ERROR_TYPE_BUILD -> "BUILD_ERROR";
      case ERROR_TYPE_EXECUTION -> "EXECUTION_ERROR";
      default -> "INTERNAL_ERROR";
    };
  }
}
