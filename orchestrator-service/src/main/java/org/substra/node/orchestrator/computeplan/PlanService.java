package org.substra.node.orchestrator.computeplan;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import org.substra.node.orchestrator.asset.Validator;
import org.substra.node.orchestrator.computetask.TaskRepository;
import org.substra.node.orchestrator.computetask.TaskTransition;
import org.substra.node.orchestrator.error.ErrorKind;
import org.substra.node.orchestrator.error.OrchestrationException;
import org.substra.node.orchestrator.identity.Caller;
import org.substra.node.orchestrator.protocol.AssetKind;
import org.substra.node.orchestrator.protocol.ComputePlan;
import org.substra.node.orchestrator.protocol.ComputePlanAction;
import org.substra.node.orchestrator.protocol.ComputeTaskStatus;
import org.substra.node.orchestrator.protocol.Event;
import org.substra.node.orchestrator.protocol.EventKind;
import org.substra.node.orchestrator.protocol.NewComputePlan;
import org.substra.node.orchestrator.protocol.PlanQueryFilter;
import org.substra.node.orchestrator.storage.Page;
import org.substra.node.orchestrator.storage.Transactions;
import org.substra.node.orchestrator.storage.Tx;

/**
 * Compute plans (spec §3.7). Cancelling only marks the plan: workers see it and cancel their tasks
 * themselves, as with the reference.
 */
@ApplicationScoped
public class PlanService {

  private final Transactions transactions;
  private final PlanRepository plans;
  private final TaskRepository tasks;

  PlanService(Transactions transactions, PlanRepository plans, TaskRepository tasks) {
    this.transactions = transactions;
    this.plans = plans;
    this.tasks = tasks;
  }

  public Uni<ComputePlan> register(Caller caller, NewComputePlan input) {
    return Uni.createFrom()
        .voidItem()
        .invoke(
            () ->
                Validator.of("computeplan")
                    .uuid("key", input.getKey())
                    .optionalName("tag", input.getTag())
                    .name("name", input.getName())
                    .metadata(input.getMetadataMap())
                    .validate())
        .flatMap(
            valid ->
                transactions.write(
                    caller,
                    tx ->
                        plans
                            .find(tx, input.getKey())
                            .flatMap(
                                existing -> {
                                  if (existing != null) {
                                    throw OrchestrationException.conflict(
                                        "computeplan", input.getKey());
                                  }
                                  ComputePlan plan =
                                      ComputePlan.newBuilder()
                                          .setKey(input.getKey())
                                          .setOwner(caller.organization())
                                          .setCreationDate(tx.nowTimestamp())
                                          .setTag(input.getTag())
                                          .putAllMetadata(input.getMetadataMap())
                                          .setName(input.getName())
                                          .build();
                                  tx.emit(event(plan, EventKind.EVENT_ASSET_CREATED));
                                  return plans.insert(tx, plan).replaceWith(plan);
                                })));
  }

  public Uni<ComputePlan> get(Caller caller, String key) {
    return transactions.read(caller, tx -> existing(tx, key));
  }

  public Uni<List<ComputePlan>> query(Caller caller, PlanQueryFilter filter, Page page) {
    return transactions.read(caller, tx -> plans.query(tx, filter, page));
  }

  public Uni<Void> update(Caller caller, String key, String name) {
    return Uni.createFrom()
        .voidItem()
        .invoke(() -> Validator.of("computeplan").uuid("key", key).name("name", name).validate())
        .flatMap(
            valid ->
                transactions.write(
                    caller,
                    tx ->
                        owned(tx, key, "requester does not own the compute plan")
                            .flatMap(
                                plan -> {
                                  ComputePlan renamed = plan.toBuilder().setName(name).build();
                                  tx.emit(event(renamed, EventKind.EVENT_ASSET_UPDATED));
                                  return plans.update(tx, renamed);
                                })));
  }

  public Uni<Void> applyAction(Caller caller, String key, ComputePlanAction action) {
    return transactions.write(
        caller,
        tx ->
            owned(tx, key, "only plan owner can act on it")
                .flatMap(
                    plan -> {
                      if (action != ComputePlanAction.PLAN_ACTION_CANCELED) {
                        throw new OrchestrationException(
                            ErrorKind.UNIMPLEMENTED, "plan action unimplemented");
                      }
                      if (PlanRepository.isTerminated(plan)) {
                        throw new OrchestrationException(
                            ErrorKind.TERMINATED_COMPUTE_PLAN,
                            "compute plan " + key + " is already terminated");
                      }
                      ComputePlan canceled =
                          plan.toBuilder().setCancelationDate(tx.nowTimestamp()).build();
                      tx.emit(event(canceled, EventKind.EVENT_ASSET_UPDATED));
                      return plans.update(tx, canceled);
                    }));
  }

  /**
   * The intended semantics of the reference (changelog 0.42): not terminated, no task failed or
   * canceled, and at least one task not finished.
   */
  public Uni<Boolean> isRunning(Caller caller, String key) {
    return transactions.read(
        caller,
        tx ->
            existing(tx, key)
                .flatMap(
                    plan -> {
                      if (PlanRepository.isTerminated(plan)) {
                        return Uni.createFrom().item(false);
                      }
                      return tasks.statusCounts(tx, key).map(PlanService::running);
                    }));
  }

  private static boolean running(Map<ComputeTaskStatus, Long> counts) {
    if (counts.containsKey(ComputeTaskStatus.STATUS_FAILED)
        || counts.containsKey(ComputeTaskStatus.STATUS_CANCELED)) {
      return false;
    }
    return counts.keySet().stream().anyMatch(status -> !TaskTransition.isFinal(status));
  }

  public Uni<ComputePlan> existing(Tx tx, String key) {
    return plans
        .find(tx, key)
        .invoke(
            plan -> {
              if (plan == null) {
                throw OrchestrationException.notFound("computeplan", key);
              }
            });
  }

  private Uni<ComputePlan> owned(Tx tx, String key, String refusal) {
    return existing(tx, key)
        .invoke(
            plan -> {
              if (!plan.getOwner().equals(tx.caller().organization())) {
                throw OrchestrationException.permissionDenied(refusal);
              }
            });
  }

  private static Event.Builder event(ComputePlan plan, EventKind kind) {
    return Event.newBuilder()
        .setAssetKey(plan.getKey())
        .setAssetKind(AssetKind.ASSET_COMPUTE_PLAN)
        .setEventKind(kind)
        .setComputePlan(plan);
  }
}
