package org.substra.node.event.projection;

import static org.substra.node.event.projection.Rows.json;
import static org.substra.node.event.projection.Rows.time;
import static org.substra.node.event.projection.Rows.uuid;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.util.EnumMap;
import java.util.Map;
import java.util.UUID;
import org.substra.node.event.projection.PlanDerivation.Counts;
import org.substra.node.event.projection.PlanDerivation.PlanState;
import org.substra.node.orchestrator.protocol.ComputePlan;
import org.substra.node.orchestrator.protocol.ComputeTaskStatus;

/**
 * Queries of {@code compute_plans}: rows are read once per transaction, written once at its end.
 */
@ApplicationScoped
public class PlanRepository {

  private static final ComputeTaskStatus[] COUNTED =
      PlanDerivation.COUNT_COLUMNS.keySet().toArray(ComputeTaskStatus[]::new);
  private static final String COUNT_COLUMNS;

  static {
    StringBuilder columns = new StringBuilder();
    for (ComputeTaskStatus status : COUNTED) {
      columns.append(", ").append(PlanDerivation.COUNT_COLUMNS.get(status));
    }
    COUNT_COLUMNS = columns.toString();
  }

  /** A plan's row as this transaction changes it. */
  static final class PlanRow {
    final String key;
    final Map<ComputeTaskStatus, Integer> counts = new EnumMap<>(ComputeTaskStatus.class);
    int tasks;
    String name;
    OffsetDateTime cancelationDate;
    OffsetDateTime failureDate;
    OffsetDateTime lastTaskEndDate;
    String status = PlanDerivation.CREATED;
    OffsetDateTime startDate;
    OffsetDateTime endDate;
    boolean dirty;

    PlanRow(String key) {
      this.key = key;
      for (ComputeTaskStatus status : COUNTED) {
        counts.put(status, 0);
      }
    }

    /** Counts a task that appeared ({@code from} null) or moved; returns the status before. */
    String countTask(ComputeTaskStatus from, ComputeTaskStatus to, OffsetDateTime taskEnd) {
      if (from == null) {
        tasks++;
      } else {
        counts.merge(from, -1, Integer::sum);
      }
      counts.merge(to, 1, Integer::sum);
      if (taskEnd != null && (lastTaskEndDate == null || taskEnd.isAfter(lastTaskEndDate))) {
        lastTaskEndDate = taskEnd;
      }
      dirty = true;
      return status;
    }

    /** Derives the plan at {@code now}; returns the status before. */
    String derive(OffsetDateTime now) {
      String before = status;
      PlanState next =
          PlanDerivation.next(
              new PlanState(
                  new Counts(
                      tasks,
                      counts.get(ComputeTaskStatus.STATUS_WAITING_FOR_BUILDER_SLOT),
                      counts.get(ComputeTaskStatus.STATUS_BUILDING),
                      counts.get(ComputeTaskStatus.STATUS_WAITING_FOR_PARENT_TASKS),
                      counts.get(ComputeTaskStatus.STATUS_WAITING_FOR_EXECUTOR_SLOT),
                      counts.get(ComputeTaskStatus.STATUS_EXECUTING),
                      counts.get(ComputeTaskStatus.STATUS_DONE),
                      counts.get(ComputeTaskStatus.STATUS_CANCELED),
                      counts.get(ComputeTaskStatus.STATUS_FAILED)),
                  cancelationDate,
                  lastTaskEndDate,
                  status,
                  startDate,
                  endDate),
              now);
      status = next.status();
      startDate = next.startDate();
      endDate = next.endDate();
      dirty = true;
      return before;
    }
  }

  /** Inserts a new plan; returns its row, or null when it was already there. */
  PlanRow insert(Connection db, String channel, ComputePlan plan, String creator)
      throws SQLException {
    try (PreparedStatement insert =
        db.prepareStatement(
            "INSERT INTO compute_plans (key, channel, owner, name, tag, metadata, creation_date,"
                + " cancelation_date, failure_date, creator, status)"
                + " VALUES (?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING")) {
      insert.setObject(1, uuid(plan.getKey()));
      insert.setString(2, channel);
      insert.setString(3, plan.getOwner());
      insert.setString(4, plan.getName());
      insert.setString(5, plan.getTag());
      insert.setString(6, json(plan.getMetadataMap()));
      insert.setObject(7, time(plan.getCreationDate()));
      insert.setObject(8, plan.hasCancelationDate() ? time(plan.getCancelationDate()) : null);
      insert.setObject(9, plan.hasFailureDate() ? time(plan.getFailureDate()) : null);
      insert.setString(10, creator);
      insert.setString(11, PlanDerivation.CREATED);
      if (insert.executeUpdate() == 0) {
        return null;
      }
    }
    PlanRow row = new PlanRow(plan.getKey());
    row.name = plan.getName();
    return row;
  }

  /** The plan's row, locked until the transaction ends; null for an unknown plan. */
  PlanRow load(Connection db, String key) throws SQLException {
    try (PreparedStatement select =
        db.prepareStatement(
            "SELECT task_count, name, cancelation_date, failure_date, last_task_end_date, status,"
                + " start_date, end_date"
                + COUNT_COLUMNS
                + " FROM compute_plans WHERE key = ? FOR UPDATE")) {
      select.setObject(1, uuid(key));
      try (ResultSet row = select.executeQuery()) {
        if (!row.next()) {
          return null;
        }
        PlanRow plan = new PlanRow(key);
        plan.tasks = row.getInt("task_count");
        plan.name = row.getString("name");
        plan.cancelationDate = row.getObject("cancelation_date", OffsetDateTime.class);
        plan.failureDate = row.getObject("failure_date", OffsetDateTime.class);
        plan.lastTaskEndDate = row.getObject("last_task_end_date", OffsetDateTime.class);
        plan.status = row.getString("status");
        plan.startDate = row.getObject("start_date", OffsetDateTime.class);
        plan.endDate = row.getObject("end_date", OffsetDateTime.class);
        for (ComputeTaskStatus status : COUNTED) {
          plan.counts.put(status, row.getInt(PlanDerivation.COUNT_COLUMNS.get(status)));
        }
        return plan;
      }
    }
  }

  /** Writes a changed row; the first failed task is looked up when the plan is FAILED. */
  void store(Connection db, PlanRow plan) throws SQLException {
    StringBuilder sql =
        new StringBuilder(
            "UPDATE compute_plans SET task_count = ?, name = ?, cancelation_date = ?,"
                + " failure_date = ?, last_task_end_date = ?, status = ?, start_date = ?,"
                + " end_date = ?");
    for (ComputeTaskStatus status : COUNTED) {
      sql.append(", ").append(PlanDerivation.COUNT_COLUMNS.get(status)).append(" = ?");
    }
    sql.append(
        ", failed_task_key = CASE WHEN ? AND failed_task_key IS NULL THEN"
            + " (SELECT key FROM compute_tasks WHERE compute_plan_key = ?"
            + " AND status = 'STATUS_FAILED' ORDER BY end_date, key LIMIT 1)"
            + " ELSE failed_task_key END WHERE key = ?");
    try (PreparedStatement update = db.prepareStatement(sql.toString())) {
      int i = 1;
      update.setInt(i++, plan.tasks);
      update.setString(i++, plan.name);
      update.setObject(i++, plan.cancelationDate, Types.TIMESTAMP_WITH_TIMEZONE);
      update.setObject(i++, plan.failureDate, Types.TIMESTAMP_WITH_TIMEZONE);
      update.setObject(i++, plan.lastTaskEndDate, Types.TIMESTAMP_WITH_TIMEZONE);
      update.setString(i++, plan.status);
      update.setObject(i++, plan.startDate, Types.TIMESTAMP_WITH_TIMEZONE);
      update.setObject(i++, plan.endDate, Types.TIMESTAMP_WITH_TIMEZONE);
      for (ComputeTaskStatus status : COUNTED) {
        update.setInt(i++, plan.counts.get(status));
      }
      UUID key = uuid(plan.key);
      update.setBoolean(i++, PlanDerivation.FAILED.equals(plan.status));
      update.setObject(i++, key);
      update.setObject(i, key);
      update.executeUpdate();
    }
    plan.dirty = false;
  }

  boolean hasTaskOn(Connection db, String planKey, String worker) throws SQLException {
    try (PreparedStatement select =
        db.prepareStatement(
            "SELECT 1 FROM compute_tasks WHERE compute_plan_key = ? AND worker = ? LIMIT 1")) {
      select.setObject(1, uuid(planKey));
      select.setString(2, worker);
      try (ResultSet rows = select.executeQuery()) {
        return rows.next();
      }
    }
  }
}
