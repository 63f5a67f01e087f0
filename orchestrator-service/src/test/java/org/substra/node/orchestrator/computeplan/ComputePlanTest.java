package org.substra.node.orchestrator.computeplan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.substra.node.orchestrator.Network.ORG1;
import static org.substra.node.orchestrator.Network.ORG2;
import static org.substra.node.orchestrator.Network.trainTask;
import static org.substra.node.testing.AssetMessages.PUBLIC;
import static org.substra.node.testing.AssetMessages.key;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.substra.node.orchestrator.Network;
import org.substra.node.orchestrator.NetworkTest;
import org.substra.node.orchestrator.protocol.ApplyPlanActionParam;
import org.substra.node.orchestrator.protocol.ComputePlan;
import org.substra.node.orchestrator.protocol.ComputePlanAction;
import org.substra.node.orchestrator.protocol.ComputeTaskStatus;
import org.substra.node.orchestrator.protocol.Event;
import org.substra.node.orchestrator.protocol.GetComputePlanParam;
import org.substra.node.orchestrator.protocol.IsPlanRunningParam;
import org.substra.node.orchestrator.protocol.NewComputePlan;
import org.substra.node.orchestrator.protocol.PlanQueryFilter;
import org.substra.node.orchestrator.protocol.QueryPlansParam;
import org.substra.node.orchestrator.protocol.UpdateComputePlanParam;
import org.substra.node.testing.Dependency;
import org.substra.node.testing.WithLocalDependencies;

/** Compute plans (spec §3.7). */
@QuarkusTest
@WithLocalDependencies(
    value = {Dependency.POSTGRESQL, Dependency.RABBITMQ},
    database = "orchestrator_test")
class ComputePlanTest extends NetworkTest {

  @Test
  void registersRenamesAndQueriesPlans() {
    String key = key();
    ComputePlan plan =
        network
            .plans(ORG1)
            .registerPlan(
                NewComputePlan.newBuilder()
                    .setKey(key)
                    .setName("plan")
                    .setTag("experiment")
                    .putMetadata("a", "b")
                    .build());
    network.plan(ORG2);
    network
        .plans(ORG1)
        .updatePlan(UpdateComputePlanParam.newBuilder().setKey(key).setName("renamed").build());

    assertEquals(ORG1, plan.getOwner());
    assertFalse(plan.hasCancelationDate());
    assertFalse(plan.hasFailureDate());
    assertEquals("renamed", get(key).getName());
    assertEquals("experiment", get(key).getTag());
    List<ComputePlan> ofOrg1 =
        network
            .plans(ORG2)
            .queryPlans(
                QueryPlansParam.newBuilder()
                    .setFilter(PlanQueryFilter.newBuilder().setOwner(ORG1))
                    .build())
            .getPlansList();
    assertEquals(List.of(key), ofOrg1.stream().map(ComputePlan::getKey).toList());
    StatusRuntimeException stranger =
        refused(
            () ->
                network
                    .plans(ORG2)
                    .updatePlan(
                        UpdateComputePlanParam.newBuilder().setKey(key).setName("x").build()));
    assertEquals(
        "OE0102: requester does not own the compute plan", stranger.getStatus().getDescription());
    assertEquals(
        Status.Code.ALREADY_EXISTS,
        refused(
                () ->
                    network
                        .plans(ORG1)
                        .registerPlan(
                            NewComputePlan.newBuilder().setKey(key).setName("again").build()))
            .getStatus()
            .getCode());
  }

  @Test
  void cancelingMarksThePlanOnceAndLeavesTasksAlone() {
    String dataManager = network.dataManager(ORG1, PUBLIC);
    List<String> samples = network.dataSamples(ORG1, dataManager, 1);
    String function = network.readyFunction(ORG1, Network.trainFunction(key()).build());
    String key = network.plan(ORG1);
    String task =
        network.register(ORG1, trainTask(key, function, dataManager, samples)).get(0).getKey();
    assertTrue(isRunning(key));

    assertEquals(
        "OE0102: only plan owner can act on it",
        refused(() -> cancel(ORG2, key)).getStatus().getDescription());
    cancel(ORG1, key);
    StatusRuntimeException again = refused(() -> cancel(ORG1, key));

    ComputePlan canceled = get(key);
    assertTrue(canceled.hasCancelationDate());
    assertEquals(Status.Code.UNKNOWN, again.getStatus().getCode());
    assertEquals(
        "OE0109: compute plan " + key + " is already terminated",
        again.getStatus().getDescription());
    assertEquals(
        ComputeTaskStatus.STATUS_WAITING_FOR_EXECUTOR_SLOT, network.task(ORG1, task).getStatus());
    assertFalse(isRunning(key));
    List<Event> events = network.eventsOf(key);
    assertEquals(
        canceled.getCancelationDate(),
        events.get(events.size() - 1).getComputePlan().getCancelationDate());
    StatusRuntimeException unknownAction =
        refused(
            () ->
                network
                    .plans(ORG1)
                    .applyPlanAction(
                        ApplyPlanActionParam.newBuilder()
                            .setKey(key)
                            .setAction(ComputePlanAction.PLAN_ACTION_UNKNOWN)
                            .build()));
    assertEquals(Status.Code.UNIMPLEMENTED, unknownAction.getStatus().getCode());
  }

  @Test
  void anEmptyOrUnknownPlanIsNotRunning() {
    String key = network.plan(ORG1);

    assertFalse(isRunning(key));
    assertEquals(Status.Code.NOT_FOUND, refused(() -> isRunning(key())).getStatus().getCode());
    assertEquals(Status.Code.NOT_FOUND, refused(() -> get("not-a-key")).getStatus().getCode());
  }

  private ComputePlan get(String key) {
    return network.plans(ORG2).getPlan(GetComputePlanParam.newBuilder().setKey(key).build());
  }

  private void cancel(String organization, String key) {
    network
        .plans(organization)
        .applyPlanAction(
            ApplyPlanActionParam.newBuilder()
                .setKey(key)
                .setAction(ComputePlanAction.PLAN_ACTION_CANCELED)
                .build());
  }

  private boolean isRunning(String key) {
    return network
        .plans(ORG1)
        .isPlanRunning(IsPlanRunningParam.newBuilder().setKey(key).build())
        .getIsRunning();
  }
}
