package org.substra.node.event.projection;

import static org.substra.node.event.projection.Rows.time;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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

  /** Starts the work of one transaction. */
  public ProjectionBatch begin() {
    return new ProjectionBatch();
  }

  /** Reads at once the tasks that {@code events} are about, when the read model has them. */
  public void prefetch(Connection db, ProjectionBatch batch, List<Event> events)
      throws SQLException {
    Set<String> keys = new HashSet<>();
    for (Event event : events) {
      if (event.hasComputeTask()) {
        keys.add(event.getComputeTask().getKey());
      }
    }
    prefetchTasks(db, batch, keys);
  }

  /** Reads (and locks until the transaction ends) the tasks of {@code keys} the read model has. */
  public void prefetchTasks(Connection db, ProjectionBatch batch, Collection<String> keys)
      throws SQLException {
    Set<String> missing = new HashSet<>(keys);
    missing.removeAll(batch.tasks.keySet());
    batch.tasks.putAll(tasks.load(db, missing));
  }

  /**
   * The status the read model has for a task of {@code batch} (read by {@link #prefetch}); null
   * when it does not have the task.
   */
  public ComputeTaskStatus knownStatus(ProjectionBatch batch, String taskKey) {
    TaskRepository.TaskRow row = batch.tasks.get(taskKey);
    return row == null ? null : row.status;
  }

  /** Writes what {@code batch} kept in memory; call before committing. */
  public void finish(Connection db, ProjectionBatch batch) throws SQLException {
    flushTasks(db, batch);
    for (PlanRepository.PlanRow plan : batch.plans.values()) {
      if (plan.dirty) {
        plans.store(db, plan);
      }
    }
  }

  /** Applies {@code event}, the {@code position}-th of its channel. */
  public void apply(Connection db, ProjectionBatch batch, Event event, long position)
      throws SQLException {
    String channel = event.getChannel();
    OffsetDateTime at = time(event.getTimestamp());
    switch (event.getAssetCase()) {
      case ORGANIZATION -> assets.organization(db, channel, event.getOrganization());
      case FUNCTION -> function(db, batch, event, event.getFunction());
      case DATA_MANAGER -> assets.dataManager(db, channel, event.getDataManager());
      case DATA_SAMPLE -> assets.dataSample(db, channel, event.getDataSample());
      case COMPUTE_PLAN -> plan(db, batch, event, event.getComputePlan(), at);
      case COMPUTE_TASK -> task(db, batch, event, event.getComputeTask(), at);
      case MODEL -> {
        if (event.getEventKind() == EventKind.EVENT_ASSET_DISABLED) {
          outputs.disableModel(db, batch, event.getModel().getKey());
        } else {
          outputs.model(db, batch, channel, event.getModel());
        }
      }
      case PERFORMANCE -> outputs.performance(db, batch, channel, event.getPerformance());
      case COMPUTE_TASK_OUTPUT_ASSET ->
          outputs.outputAsset(db, batch, event.getComputeTaskOutputAsset(), position);
      case FAILURE_REPORT -> failureReport(db, batch, channel, event.getFailureReport());
      case PROFILING_STEP -> assets.profilingStep(db, channel, event.getProfilingStep());
      case ASSET_NOT_SET ->
          throw new IllegalArgumentException(
              "event " + event.getId() + " carries no asset (" + event.getAssetKind() + ")");
    }
  }

  private void function(Connection db, ProjectionBatch batch, Event event, Function function)
      throws SQLException {
    assets.function(db, event.getChannel(), function);
    if (function.getStatus() == FunctionStatus.FUNCTION_STATUS_WAITING
        && mspId.equals(function.getOwner())) {
      outbox.record(db, batch, routing.build(event.getChannel(), function, event.getId()));
    }
  }

  private void plan(
      Connection db, ProjectionBatch batch, Event event, ComputePlan plan, OffsetDateTime at)
      throws SQLException {
    PlanRepository.PlanRow row = null;
    if (event.getEventKind() == EventKind.EVENT_ASSET_CREATED) {
      row = insertPlan(db, batch, event, plan);
    }
    if (row == null) {
      row = plan(db, batch, plan.getKey());
    }
    if (row == null) {
      // An update of a plan this read model never saw: its snapshot is enough to start from.
      row = insertPlan(db, batch, event, plan);
    }
    row.name = plan.getName();
    row.cancelationDate = plan.hasCancelationDate() ? time(plan.getCancelationDate()) : null;
    row.failureDate = plan.hasFailureDate() ? time(plan.getFailureDate()) : null;
    String before = row.derive(at);
    onPlanTransition(db, batch, event, row, before);
  }

  private PlanRepository.PlanRow insertPlan(
      Connection db, ProjectionBatch batch, Event event, ComputePlan plan) throws SQLException {
    PlanRepository.PlanRow row =
        plans.insert(
            db, event.getChannel(), plan, mspId.equals(plan.getOwner()) ? null : "external");
    if (row != null) {
      batch.plans.put(plan.getKey(), row);
    }
    return row;
  }

  private PlanRepository.PlanRow plan(Connection db, ProjectionBatch batch, String key)
      throws SQLException {
    PlanRepository.PlanRow row = batch.plans.get(key);
    if (row == null) {
      row = plans.load(db, key);
      if (row != null) {
        batch.plans.put(key, row);
      }
    }
    return row;
  }

  private void task(
      Connection db, ProjectionBatch batch, Event event, ComputeTask task, OffsetDateTime at)
      throws SQLException {
    ComputeTaskStatus status = task.getStatus();
    TaskRepository.TaskRow row = batch.tasks.get(task.getKey());
    ComputeTaskStatus from = null;
    boolean counted = false;
    if (row == null) {
      // A creation, or an update of a task this read model never saw: its snapshot is complete
      // enough to start from.
      row = tasks.insert(db, batch, event.getChannel(), task, at);
      batch.tasks.put(task.getKey(), row);
      counted = true;
    } else if (row.status != status) {
      from = row.status;
      row.moveTo(status, at);
      counted = true;
    }
    if (counted) {
      PlanRepository.PlanRow plan = plan(db, batch, task.getComputePlanKey());
      if (plan != null) {
        plan.countTask(from, status, row.endDate);
        onPlanTransition(db, batch, event, plan, plan.derive(at));
      }
    }
    if (status == ComputeTaskStatus.STATUS_WAITING_FOR_EXECUTOR_SLOT
        && mspId.equals(task.getWorker())) {
      outbox.record(db, batch, routing.task(event.getChannel(), task, event.getId()));
    }
  }

  private void onPlanTransition(
      Connection db, ProjectionBatch batch, Event event, PlanRepository.PlanRow plan, String before)
      throws SQLException {
    boolean cancel = PlanDerivation.terminal(plan.status) && !PlanDerivation.terminal(before);
    boolean teardown = PlanDerivation.ended(plan.status) && !PlanDerivation.ended(before);
    if ((cancel || teardown) && hasTaskOn(db, batch, plan.key)) {
      if (cancel) {
        outbox.record(
            db, batch, routing.cancel(event.getChannel(), plan.key, plan.status, event.getId()));
      }
      if (teardown) {
        // after the cancel: the running task stops first, then the plan's pods and files go
        outbox.record(
            db,
            batch,
            routing.teardown(event.getChannel(), plan.key, plan.status, plan.tasks, event.getId()));
      }
    }
  }

  private boolean hasTaskOn(Connection db, ProjectionBatch batch, String planKey)
      throws SQLException {
    for (TaskRepository.TaskRow task : batch.tasks.values()) {
      if (task.planKey.equals(planKey) && mspId.equals(task.worker)) {
        return true;
      }
    }
    return plans.hasTaskOn(db, planKey, mspId);
  }

  private void flushTasks(Connection db, ProjectionBatch batch) throws SQLException {
    batch.flushDeferred();
    tasks.store(db, batch.tasks.values());
  }

  private void failureReport(
      Connection db, ProjectionBatch batch, String channel, FailureReport report)
      throws SQLException {
    // It updates task rows: they must be written first.
    flushTasks(db, batch);
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
