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
import java.util.UUID;
import org.substra.node.event.projection.PlanDerivation.Counts;
import org.substra.node.event.projection.PlanDerivation.PlanState;
import org.substra.node.orchestrator.protocol.ComputePlan;
import org.substra.node.orchestrator.protocol.ComputeTaskStatus;

/** Queries of {@code compute_plans}, including the maintenance of its derived columns. */
@ApplicationScoped
public class PlanRepository {

  private static final String STATE_COLUMNS =
      "task_count, waiting_builder_slot_count, building_count, waiting_parent_tasks_count,"
          + " waiting_executor_slot_count, executing_count, done_count, canceled_count,"
          + " failed_count, cancelation_date, last_task_end_date, status, start_date, end_date";

  /** A plan's status before and after a change. */
  public record Transition(String before, String after) {
    boolean enteredTerminal() {
      return PlanDerivation.terminal(after) && !PlanDerivation.terminal(before);
    }
  }

  void insert(Connection db, String channel, ComputePlan plan, String creator) throws SQLException {
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
      insert.executeUpdate();
    }
  }

  /** Applies a plan update (name, cancelation) and derives the plan again. */
  Transition update(Connection db, ComputePlan plan, OffsetDateTime at) throws SQLException {
    try (PreparedStatement update =
        db.prepareStatement(
            "UPDATE compute_plans SET name = ?, cancelation_date = ?, failure_date = ?"
                + " WHERE key = ? RETURNING "
                + STATE_COLUMNS)) {
      update.setString(1, plan.getName());
      update.setObject(2, plan.hasCancelationDate() ? time(plan.getCancelationDate()) : null);
      update.setObject(3, plan.hasFailureDate() ? time(plan.getFailureDate()) : null);
      update.setObject(4, uuid(plan.getKey()));
      return derive(db, plan.getKey(), update, at);
    }
  }

  /**
   * Counts a task that appeared ({@code from} null) or changed status, and derives the plan again.
   * Returns null when the plan is unknown.
   */
  Transition countTask(
      Connection db,
      String planKey,
      ComputeTaskStatus from,
      ComputeTaskStatus to,
      OffsetDateTime taskEnd,
      OffsetDateTime at)
      throws SQLException {
    StringBuilder set = new StringBuilder("UPDATE compute_plans SET ");
    if (from == null) {
      set.append("task_count = task_count + 1, ");
    } else {
      String column = PlanDerivation.COUNT_COLUMNS.get(from);
      set.append(column).append(" = ").append(column).append(" - 1, ");
    }
    String column = PlanDerivation.COUNT_COLUMNS.get(to);
    set.append(column).append(" = ").append(column).append(" + 1");
    set.append(", last_task_end_date = greatest(last_task_end_date, ?)");
    set.append(" WHERE key = ? RETURNING ").append(STATE_COLUMNS);
    try (PreparedStatement update = db.prepareStatement(set.toString())) {
      update.setObject(1, taskEnd, Types.TIMESTAMP_WITH_TIMEZONE);
      update.setObject(2, uuid(planKey));
      return derive(db, planKey, update, at);
    }
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

  private Transition derive(
      Connection db, String planKey, PreparedStatement update, OffsetDateTime at)
      throws SQLException {
    PlanState before;
    try (ResultSet row = update.executeQuery()) {
      if (!row.next()) {
        return null;
      }
      before = state(row);
    }
    PlanState after = PlanDerivation.next(before, at);
    if (PlanDerivation.changed(before, after)) {
      try (PreparedStatement write =
          db.prepareStatement(
              "UPDATE compute_plans SET status = ?, start_date = ?, end_date = ?,"
                  + " failed_task_key = CASE WHEN ? AND failed_task_key IS NULL THEN"
                  + " (SELECT key FROM compute_tasks WHERE compute_plan_key = ?"
                  + " AND status = 'STATUS_FAILED' ORDER BY end_date, key LIMIT 1)"
                  + " ELSE failed_task_key END WHERE key = ?")) {
        UUID key = uuid(planKey);
        write.setString(1, after.status());
        write.setObject(2, after.startDate());
        write.setObject(3, after.endDate());
        write.setBoolean(4, PlanDerivation.FAILED.equals(after.status()));
        write.setObject(5, key);
        write.setObject(6, key);
        write.executeUpdate();
      }
    }
    return new Transition(before.status(), after.status());
  }

  private static PlanState state(ResultSet row) throws SQLException {
    Counts counts =
        new Counts(
            row.getInt("task_count"),
            row.getInt("waiting_builder_slot_count"),
            row.getInt("building_count"),
            row.getInt("waiting_parent_tasks_count"),
            row.getInt("waiting_executor_slot_count"),
            row.getInt("executing_count"),
            row.getInt("done_count"),
            row.getInt("canceled_count"),
            row.getInt("failed_count"));
    return new PlanState(
        counts,
        row.getObject("cancelation_date", OffsetDateTime.class),
        row.getObject("last_task_end_date", OffsetDateTime.class),
        row.getString("status"),
        row.getObject("start_date", OffsetDateTime.class),
        row.getObject("end_date", OffsetDateTime.class));
  }
}
