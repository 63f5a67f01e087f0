package org.substra.node.event.projection;

import java.time.OffsetDateTime;
import java.util.Map;
import org.substra.node.orchestrator.protocol.ComputeTaskStatus;

/**
 * The compute plan fields the orchestrator does not have and the REST API serves (rest-api-spec
 * §7.3, orchestrator-spec §3.7): status from the task counts and the cancelation date, start and
 * end dates.
 */
public final class PlanDerivation {

  public static final String CREATED = "PLAN_STATUS_CREATED";
  public static final String DOING = "PLAN_STATUS_DOING";
  public static final String DONE = "PLAN_STATUS_DONE";
  public static final String CANCELED = "PLAN_STATUS_CANCELED";
  public static final String FAILED = "PLAN_STATUS_FAILED";

  /** The compute_plans column counting the tasks in each status. */
  static final Map<ComputeTaskStatus, String> COUNT_COLUMNS =
      Map.of(
          ComputeTaskStatus.STATUS_WAITING_FOR_BUILDER_SLOT, "waiting_builder_slot_count",
          ComputeTaskStatus.STATUS_BUILDING, "building_count",
          ComputeTaskStatus.STATUS_WAITING_FOR_PARENT_TASKS, "waiting_parent_tasks_count",
          ComputeTaskStatus.STATUS_WAITING_FOR_EXECUTOR_SLOT, "waiting_executor_slot_count",
          ComputeTaskStatus.STATUS_EXECUTING, "executing_count",
          ComputeTaskStatus.STATUS_DONE, "done_count",
          ComputeTaskStatus.STATUS_CANCELED, "canceled_count",
          ComputeTaskStatus.STATUS_FAILED, "failed_count");

  private PlanDerivation() {}

  /** Task counts of one plan. */
  public record Counts(
      int tasks,
      int waitingBuilderSlot,
      int building,
      int waitingParentTasks,
      int waitingExecutorSlot,
      int executing,
      int done,
      int canceled,
      int failed) {

    int unfinished() {
      return tasks - done - canceled - failed;
    }
  }

  /** What the derivation reads and writes. */
  public record PlanState(
      Counts counts,
      OffsetDateTime cancelationDate,
      OffsetDateTime lastTaskEndDate,
      String status,
      OffsetDateTime startDate,
      OffsetDateTime endDate) {}

  /** The status by the spec's precedence: canceled, created, done, failed, doing. */
  public static String status(Counts counts, OffsetDateTime cancelationDate) {
    if (cancelationDate != null || counts.canceled() > 0) {
      return CANCELED;
    }
    if (counts.tasks() == 0 || counts.waitingBuilderSlot() == counts.tasks()) {
      return CREATED;
    }
    if (counts.done() == counts.tasks()) {
      return DONE;
    }
    if (counts.failed() > 0) {
      return FAILED;
    }
    return DOING;
  }

  /** The state after a change observed at {@code now} (the event's timestamp). */
  public static PlanState next(PlanState state, OffsetDateTime now) {
    String status = status(state.counts(), state.cancelationDate());
    // Set the first time the plan leaves CREATED, never reset.
    OffsetDateTime start =
        state.startDate() == null && !CREATED.equals(status) ? now : state.startDate();
    OffsetDateTime end;
    if (state.cancelationDate() != null) {
      end = state.cancelationDate();
    } else if (state.counts().unfinished() > 0
        && state.counts().failed() == 0
        && state.counts().canceled() == 0) {
      // Running (again, when tasks were added to an ended plan).
      end = null;
    } else {
      end = state.lastTaskEndDate() != null ? state.lastTaskEndDate() : state.endDate();
    }
    return new PlanState(
        state.counts(), state.cancelationDate(), state.lastTaskEndDate(), status, start, end);
  }

  /** Whether the plan is over: nothing of it runs any more (DONE until tasks are added). */
  static boolean ended(String status) {
    return DONE.equals(status) || terminal(status);
  }

  static boolean terminal(String status) {
    return CANCELED.equals(status) || FAILED.equals(status);
  }
}
