package org.substra.node.event.projection;

import static org.substra.node.event.projection.Rows.time;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import org.substra.node.event.config.EventConfig;
import org.substra.node.event.dispatch.WorkOutbox;
import org.substra.node.event.dispatch.WorkRouting;
import org.substra.node.orchestrator.protocol.ComputePlan;
import org.substra.node.orchestrator.protocol.ComputeTask;
import org.substra.node.orchestrator.protocol.ComputeTaskStatus;
import org.substra.node.orchestrator.protocol.Event;
import org.substra.node.orchestrator.protocol.EventKind;
import org.substra.node.orchestrator.protocol.FailedAssetKind;
import org.substra.node.orchestrator.protocol.FailureReport;
import org.substra.node.orchestrator.protocol.Function;
import org.substra.node.orchestrator.protocol.FunctionStatus;

/**
 * Applies one orchestrator event to the read model, in the caller's transaction, and records the
 * work messages it calls for in the outbox of the same transaction (worker-spec §2.1, §4.1, §2.11).
 */
@ApplicationScoped
public class EventProjector {

  private final AssetRepository assets;
  private final PlanRepository plans;
  private final TaskRepository tasks;
  private final OutputRepository outputs;
  private final WorkOutbox outbox;
  private final WorkRouting routing;
  private final String mspId;

  EventProjector(
      AssetRepository assets,
      PlanRepository plans,
      TaskRepository tasks,
      OutputRepository outputs,
      WorkOutbox outbox,
      WorkRouting routing,
      EventConfig config) {
    this.assets = assets;
    this.plans = plans;
    this.tasks = tasks;
    this.outputs = outputs;
    this.outbox = outbox;
    this.routing = routing;
    this.mspId = config.mspId();
  }

  /** Applies {@code event}, the {@code position}-th of its channel. */
  public void apply(Connection db, Event event, long position) throws SQLException {
    String channel = event.getChannel();
    OffsetDateTime at = time(event.getTimestamp());
    switch (event.getAssetCase()) {
      case ORGANIZATION -> assets.organization(db, channel, event.getOrganization());
      case FUNCTION -> function(db, event, event.getFunction());
      case DATA_MANAGER -> assets.dataManager(db, channel, event.getDataManager());
      case DATA_SAMPLE -> assets.dataSample(db, channel, event.getDataSample());
      case COMPUTE_PLAN -> plan(db, event, event.getComputePlan(), at);
      case COMPUTE_TASK -> task(db, event, event.getComputeTask(), at);
      case MODEL -> {
        if (event.getEventKind() == EventKind.EVENT_ASSET_DISABLED) {
          outputs.disableModel(db, event.getModel().getKey());
        } else {
          outputs.model(db, channel, event.getModel());
        }
      }
      case PERFORMANCE -> outputs.performance(db, channel, event.getPerformance());
      case COMPUTE_TASK_OUTPUT_ASSET ->
          outputs.outputAsset(db, event.getComputeTaskOutputAsset(), position);
      case FAILURE_REPORT -> failureReport(db, channel, event.getFailureReport());
      case PROFILING_STEP -> assets.profilingStep(db, channel, event.getProfilingStep());
      case ASSET_NOT_SET ->
          throw new IllegalArgumentException(
              "event " + event.getId() + " carries no asset (" + event.getAssetKind() + ")");
    }
  }

  private void function(Connection db, Event event, Function function) throws SQLException {
    assets.function(db, event.getChannel(), function);
    if (function.getStatus() == FunctionStatus.FUNCTION_STATUS_WAITING
        && mspId.equals(function.getOwner())) {
      outbox.record(db, routing.build(event.getChannel(), function, event.getId()));
    }
  }

  private void plan(Connection db, Event event, ComputePlan plan, OffsetDateTime at)
      throws SQLException {
    if (event.getEventKind() == EventKind.EVENT_ASSET_CREATED) {
      plans.insert(db, event.getChannel(), plan, mspId.equals(plan.getOwner()) ? null : "external");
    }
    // A creation may already carry a cancelation (a replay of a plan cancelled since): derive too.
    onPlanTransition(db, event, plan.getKey(), plans.update(db, plan, at));
  }

  private void task(Connection db, Event event, ComputeTask task, OffsetDateTime at)
      throws SQLException {
    ComputeTaskStatus status = task.getStatus();
    TaskRepository.StatusChange change =
        event.getEventKind() == EventKind.EVENT_ASSET_CREATED
            ? null
            : tasks.updateStatus(db, task, at);
    PlanRepository.Transition transition = null;
    if (change == null) {
      // A creation, or an update of a task this read model never saw: its snapshot is complete
      // enough to start from.
      if (tasks.insert(db, event.getChannel(), task, at)) {
        transition =
            plans.countTask(
                db,
                task.getComputePlanKey(),
                null,
                status,
                TaskRepository.FINAL.contains(status) ? at : null,
                at);
      }
    } else if (change.before() != status) {
      transition =
          plans.countTask(
              db, task.getComputePlanKey(), change.before(), status, change.endDate(), at);
    }
    onPlanTransition(db, event, task.getComputePlanKey(), transition);
    if (status == ComputeTaskStatus.STATUS_WAITING_FOR_EXECUTOR_SLOT
        && mspId.equals(task.getWorker())) {
      outbox.record(db, routing.task(event.getChannel(), task, event.getId()));
    }
  }

  private void onPlanTransition(
      Connection db, Event event, String planKey, PlanRepository.Transition transition)
      throws SQLException {
    if (transition != null && transition.enteredTerminal() && plans.hasTaskOn(db, planKey, mspId)) {
      outbox.record(
          db, routing.cancel(event.getChannel(), planKey, transition.after(), event.getId()));
    }
  }

  private void failureReport(Connection db, String channel, FailureReport report)
      throws SQLException {
    outputs.failureReport(db, channel, report);
    tasks.recordFailure(
        db,
        report.getAssetKey(),
        report.getAssetType() == FailedAssetKind.FAILED_ASSET_FUNCTION,
        report.getErrorType(),
        report.hasLogsAddress() ? report.getLogsAddress().getChecksum() : null,
        report.hasLogsAddress() ? report.getLogsAddress().getStorageAddress() : null,
        report.getOwner());
  }
}
