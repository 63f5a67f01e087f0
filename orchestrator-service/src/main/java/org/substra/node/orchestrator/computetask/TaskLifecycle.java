package org.substra.node.orchestrator.computetask;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.substra.node.orchestrator.computeplan.PlanRepository;
import org.substra.node.orchestrator.protocol.AssetKind;
import org.substra.node.orchestrator.protocol.ComputePlan;
import org.substra.node.orchestrator.protocol.ComputeTask;
import org.substra.node.orchestrator.protocol.ComputeTaskStatus;
import org.substra.node.orchestrator.protocol.Event;
import org.substra.node.orchestrator.protocol.EventKind;
import org.substra.node.orchestrator.storage.Tx;

/**
 * Applies task transitions and their side effects (spec §3.8.6): every change is stored and
 * announced by a COMPUTE_TASK updated event carrying the full task; DONE lets children whose
 * parents are all done wait for an executor; FAILED marks the plan failed, without an event.
 */
@ApplicationScoped
public class TaskLifecycle {

  private final TaskRepository tasks;
  private final PlanRepository plans;

  TaskLifecycle(TaskRepository tasks, PlanRepository plans) {
    this.tasks = tasks;
    this.plans = plans;
  }

  /** One transition applied to {@code batch}, in order, each checked against the state machine. */
  public Uni<List<ComputeTask>> apply(
      Tx tx, List<ComputeTask> batch, TaskTransition transition, String reason) {
    if (batch.isEmpty()) {
      return Uni.createFrom().item(List.of());
    }
    List<ComputeTask> updated = new ArrayList<>(batch.size());
    for (ComputeTask task : batch) {
      transition.checkFrom(task.getStatus());
      ComputeTask next = task.toBuilder().setStatus(transition.target()).build();
      updated.add(next);
      tx.emit(updatedEvent(next, reason));
    }
    Uni<Void> stored = tasks.updateAll(tx, updated);
    Uni<Void> effects =
        switch (transition) {
          case DONE -> stored.flatMap(ignored -> releaseChildren(tx, updated));
          case FAILED -> stored.flatMap(ignored -> failPlans(tx, updated));
          default -> stored;
        };
    return effects.replaceWith(updated);
  }

  /**
   * A finished build: each task waits for an executor if its parents are all done, for its parents
   * otherwise.
   */
  public Uni<Void> buildFinished(Tx tx, List<ComputeTask> built, String reason) {
    if (built.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    return tasks
        .withUnfinishedParents(tx, built.stream().map(ComputeTask::getKey).toList())
        .flatMap(
            waiting -> {
              // One pass keeps the events in database order, whatever each task becomes.
              List<ComputeTask> updated = new ArrayList<>(built.size());
              for (ComputeTask task : built) {
                TaskTransition transition =
                    waiting.contains(task.getKey())
                        ? TaskTransition.WAITING_PARENT_TASKS
                        : TaskTransition.WAITING_EXECUTOR_SLOT;
                transition.checkFrom(task.getStatus());
                ComputeTask next = task.toBuilder().setStatus(transition.target()).build();
                updated.add(next);
                tx.emit(updatedEvent(next, reason));
              }
              return tasks.updateAll(tx, updated);
            });
  }

  private Uni<Void> releaseChildren(Tx tx, List<ComputeTask> done) {
    return Multi.createFrom()
        .iterable(done)
        .onItem()
        .transformToUniAndConcatenate(parent -> releaseChildren(tx, parent))
        .collect()
        .last()
        .replaceWithVoid();
  }

  private Uni<Void> releaseChildren(Tx tx, ComputeTask parent) {
    return tasks
        .children(tx, parent.getKey(), ComputeTaskStatus.STATUS_WAITING_FOR_PARENT_TASKS)
        .flatMap(
            children ->
                tasks
                    .withUnfinishedParents(tx, children.stream().map(ComputeTask::getKey).toList())
                    .flatMap(
                        waiting ->
                            apply(
                                tx,
                                children.stream()
                                    .filter(child -> !waiting.contains(child.getKey()))
                                    .toList(),
                                TaskTransition.WAITING_EXECUTOR_SLOT,
                                "Last parent task " + parent.getKey() + " done")))
        .replaceWithVoid();
  }

  /** Marks the plans of failed tasks failed, unless already terminated. No event (reference). */
  private Uni<Void> failPlans(Tx tx, List<ComputeTask> failed) {
    Set<String> keys = new LinkedHashSet<>();
    failed.forEach(task -> keys.add(task.getComputePlanKey()));
    return plans
        .findAll(tx, keys)
        .flatMap(
            found ->
                Multi.createFrom()
                    .iterable(found.values())
                    .filter(plan -> !PlanRepository.isTerminated(plan))
                    .onItem()
                    .transformToUniAndConcatenate(plan -> plans.update(tx, failed(tx, plan)))
                    .collect()
                    .last()
                    .replaceWithVoid());
  }

  private static ComputePlan failed(Tx tx, ComputePlan plan) {
    return plan.toBuilder().setFailureDate(tx.nowTimestamp()).build();
  }

  static Event.Builder updatedEvent(ComputeTask task, String reason) {
    return Event.newBuilder()
        .setAssetKey(task.getKey())
        .setAssetKind(AssetKind.ASSET_COMPUTE_TASK)
        .setEventKind(EventKind.EVENT_ASSET_UPDATED)
        .setComputeTask(task)
        .putMetadata("reason", reason);
  }
}
