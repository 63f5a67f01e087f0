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

  /** A task's row as this transaction changes it (the columns status changes touch). */
  static final class TaskRow {
    final String key;
    final String planKey;
    final String worker;
    ComputeTaskStatus status;
    OffsetDateTime startDate;
    OffsetDateTime endDate;
    boolean dirty;

    TaskRow(String key, String planKey, String worker, ComputeTaskStatus status) {
      this.key = key;
      this.planKey = planKey;
      this.worker = worker;
      this.status = status;
    }

    /** Moves to {@code to} at {@code at}: start at the first EXECUTING, end at the first final. */
    void moveTo(ComputeTaskStatus to, OffsetDateTime at) {
      status = to;
      if (to == ComputeTaskStatus.STATUS_EXECUTING && startDate == null) {
        startDate = at;
      }
      if (FINAL.contains(to) && endDate == null) {
        endDate = at;
      }
      dirty = true;
    }
  }

  /** The known rows among {@code keys}, locked until the transaction ends. */
  Map<String, TaskRow> load(Connection db, java.util.Collection<String> keys) throws SQLException {
    Map<String, TaskRow> rows = new HashMap<>();
    if (keys.isEmpty()) {
      return rows;
    }
    try (PreparedStatement select =
        db.prepareStatement(
            "SELECT key::text, compute_plan_key::text, worker, status, start_date, end_date"
                + " FROM compute_tasks WHERE key = ANY (?::uuid[]) FOR UPDATE")) {
      select.setArray(1, db.createArrayOf("text", keys.toArray()));
      try (ResultSet row = select.executeQuery()) {
        while (row.next()) {
          TaskRow task =
              new TaskRow(
                  row.getString(1),
                  row.getString(2),
                  row.getString(3),
                  ComputeTaskStatus.valueOf(row.getString(4)));
          task.startDate = row.getObject(5, OffsetDateTime.class);
          task.endDate = row.getObject(6, OffsetDateTime.class);
          rows.put(task.key, task);
        }
      }
    }
    return rows;
  }

  /** Writes the changed rows, in one batch. */
  void store(Connection db, java.util.Collection<TaskRow> rows) throws SQLException {
    try (PreparedStatement update =
        db.prepareStatement(
            "UPDATE compute_tasks SET status = ?, start_date = ?, end_date = ?,"
                + " error_type = CASE WHEN ? THEN coalesce(error_type, ?) ELSE error_type END"
                + " WHERE key = ?")) {
      boolean any = false;
      for (TaskRow row : rows) {
        if (!row.dirty) {
          continue;
        }
        update.setString(1, row.status.name());
        update.setObject(2, row.startDate, Types.TIMESTAMP_WITH_TIMEZONE);
        update.setObject(3, row.endDate, Types.TIMESTAMP_WITH_TIMEZONE);
        update.setBoolean(4, row.status == ComputeTaskStatus.STATUS_FAILED);
        update.setString(5, provisionalError());
        update.setObject(6, uuid(row.key));
        update.addBatch();
        row.dirty = false;
        any = true;
      }
      if (any) {
        update.executeBatch();
      }
    }
  }

  /**
   * Inserts a task this read model does not have, with its inputs and outputs, when the batch
   * flushes; returns its row.
   */
  TaskRow insert(
      Connection db, ProjectionBatch batch, String channel, ComputeTask task, OffsetDateTime at)
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
    PreparedStatement insert =
        batch.defer(
            db,
            ProjectionBatch.Stage.TASKS,
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
                + " FROM task, jsonb_array_elements(?::jsonb) WITH ORDINALITY AS i(input, position))"
                + " INSERT INTO compute_task_outputs (compute_task_key, identifier,"
                + " process_public, process_authorized_ids, download_public,"
                + " download_authorized_ids, transient)"
                + " SELECT task.key, o->>'identifier', (o->>'process_public')::boolean,"
                + " ARRAY(SELECT jsonb_array_elements_text(o->'process_ids')),"
                + " (o->>'download_public')::boolean,"
                + " ARRAY(SELECT jsonb_array_elements_text(o->'download_ids')),"
                + " (o->>'transient')::boolean FROM task, jsonb_array_elements(?::jsonb) o");
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
    insert.addBatch();
    TaskRow row = new TaskRow(task.getKey(), task.getComputePlanKey(), task.getWorker(), status);
    if (status == ComputeTaskStatus.STATUS_EXECUTING) {
      row.startDate = at;
    }
    if (FINAL.contains(status)) {
      row.endDate = at;
    }
    return row;
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
