package org.substra.node.orchestrator.computetask;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.substra.node.orchestrator.Network.ORG1;
import static org.substra.node.orchestrator.Network.ORG2;
import static org.substra.node.orchestrator.Network.taskOutput;
import static org.substra.node.orchestrator.Network.trainTask;
import static org.substra.node.orchestrator.protocol.ComputeTaskStatus.STATUS_BUILDING;
import static org.substra.node.orchestrator.protocol.ComputeTaskStatus.STATUS_CANCELED;
import static org.substra.node.orchestrator.protocol.ComputeTaskStatus.STATUS_DONE;
import static org.substra.node.orchestrator.protocol.ComputeTaskStatus.STATUS_EXECUTING;
import static org.substra.node.orchestrator.protocol.ComputeTaskStatus.STATUS_FAILED;
import static org.substra.node.orchestrator.protocol.ComputeTaskStatus.STATUS_WAITING_FOR_BUILDER_SLOT;
import static org.substra.node.orchestrator.protocol.ComputeTaskStatus.STATUS_WAITING_FOR_EXECUTOR_SLOT;
import static org.substra.node.orchestrator.protocol.ComputeTaskStatus.STATUS_WAITING_FOR_PARENT_TASKS;
import static org.substra.node.testing.AssetMessages.PUBLIC;
import static org.substra.node.testing.AssetMessages.address;
import static org.substra.node.testing.AssetMessages.assetInput;
import static org.substra.node.testing.AssetMessages.key;
import static org.substra.node.testing.AssetMessages.parentInput;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.substra.node.orchestrator.Network;
import org.substra.node.orchestrator.NetworkTest;
import org.substra.node.orchestrator.protocol.AssetKind;
import org.substra.node.orchestrator.protocol.ComputeTask;
import org.substra.node.orchestrator.protocol.ComputeTaskAction;
import org.substra.node.orchestrator.protocol.ComputeTaskInputAsset;
import org.substra.node.orchestrator.protocol.DisableOutputParam;
import org.substra.node.orchestrator.protocol.ErrorType;
import org.substra.node.orchestrator.protocol.Event;
import org.substra.node.orchestrator.protocol.EventKind;
import org.substra.node.orchestrator.protocol.FailedAssetKind;
import org.substra.node.orchestrator.protocol.FunctionAction;
import org.substra.node.orchestrator.protocol.GetComputePlanParam;
import org.substra.node.orchestrator.protocol.GetComputeTaskModelsParam;
import org.substra.node.orchestrator.protocol.GetTaskInputAssetsParam;
import org.substra.node.orchestrator.protocol.IsPlanRunningParam;
import org.substra.node.orchestrator.protocol.NewComputeTask;
import org.substra.node.orchestrator.protocol.NewFailureReport;
import org.substra.node.orchestrator.protocol.NewPerformance;
import org.substra.node.orchestrator.protocol.QueryPerformancesParam;
import org.substra.node.orchestrator.protocol.QueryTasksParam;
import org.substra.node.orchestrator.protocol.TaskQueryFilter;
import org.substra.node.testing.Dependency;
import org.substra.node.testing.WithLocalDependencies;

/** A compute plan through the task state machine (spec §3.8.4–§3.8.7, §3.9–§3.11). */
@QuarkusTest
@WithLocalDependencies(
    value = {Dependency.POSTGRESQL, Dependency.RABBITMQ},
    database = "orchestrator_test")
class ComputeTaskLifecycleTest extends NetworkTest {

  private String dataManager;
  private List<String> samples;
  private String plan;

  @BeforeEach
  void open() {
    dataManager = network.dataManager(ORG1, PUBLIC);
    samples = network.dataSamples(ORG1, dataManager, 2);
    plan = network.plan(ORG1);
  }

  @Test
  void tasksFollowTheBuildOfTheirFunction() {
    String function = network.function(ORG1, Network.trainFunction(key()).build());
    NewComputeTask.Builder first = trainTask(plan, function, dataManager, samples);
    NewComputeTask.Builder second = trainTask(plan, function, dataManager, samples, first.getKey());

    List<ComputeTask> created = network.register(ORG1, second, first);

    assertEquals(first.getKey(), created.get(0).getKey(), "parents come first");
    assertEquals(STATUS_WAITING_FOR_BUILDER_SLOT, created.get(0).getStatus());
    assertEquals(0, created.get(0).getRank());
    assertEquals(1, created.get(1).getRank());
    assertEquals(ORG1, created.get(0).getWorker(), "worker inferred from the data manager");

    network.functionAction(ORG1, function, FunctionAction.FUNCTION_ACTION_BUILDING);
    assertEquals(STATUS_BUILDING, status(first.getKey()));
    assertEquals(STATUS_BUILDING, status(second.getKey()));

    network.functionAction(ORG1, function, FunctionAction.FUNCTION_ACTION_READY);
    assertEquals(STATUS_WAITING_FOR_EXECUTOR_SLOT, status(first.getKey()));
    assertEquals(STATUS_WAITING_FOR_PARENT_TASKS, status(second.getKey()));
    Event built = last(network.eventsOf(first.getKey()));
    assertEquals(
        "Function " + function + " finished building", built.getMetadataMap().get("reason"));
    assertEquals(
        first.getInputsCount(),
        built.getComputeTask().getInputsCount(),
        "updates carry the full task");
  }

  @Test
  void doneReleasesChildrenWhoseParentsAreAllDone() {
    String function = network.readyFunction(ORG1, Network.trainFunction(key()).build());
    String aggregate = network.readyFunction(ORG1, Network.aggregateFunction(key()).build());
    NewComputeTask.Builder left = trainTask(plan, function, dataManager, samples);
    NewComputeTask.Builder right = trainTask(plan, function, dataManager, samples);
    NewComputeTask.Builder merge =
        NewComputeTask.newBuilder()
            .setKey(key())
            .setFunctionKey(aggregate)
            .setComputePlanKey(plan)
            .setWorker(ORG1)
            .addInputs(parentInput("shared", left.getKey(), "shared"))
            .addInputs(parentInput("shared", right.getKey(), "shared"))
            .putOutputs("shared", taskOutput(PUBLIC, false));
    List<ComputeTask> created = network.register(ORG1, left, right, merge);
    assertEquals(STATUS_WAITING_FOR_EXECUTOR_SLOT, created.get(0).getStatus());
    assertEquals(STATUS_WAITING_FOR_PARENT_TASKS, created.get(2).getStatus());

    run(left.getKey());
    assertEquals(STATUS_WAITING_FOR_PARENT_TASKS, status(merge.getKey()), "one parent left");
    run(right.getKey());

    assertEquals(STATUS_WAITING_FOR_EXECUTOR_SLOT, status(merge.getKey()));
    assertEquals(
        "Last parent task " + right.getKey() + " done",
        last(network.eventsOf(merge.getKey())).getMetadataMap().get("reason"));
    assertTrue(isRunning(plan));

    StatusRuntimeException again =
        refused(() -> network.taskAction(ORG1, right.getKey(), ComputeTaskAction.TASK_ACTION_DONE));
    assertEquals(Status.Code.UNKNOWN, again.getStatus().getCode());
    assertEquals(
        "event transitionDone inappropriate in current state STATUS_DONE",
        again.getStatus().getDescription(),
        "the backend recognises a repeated DONE by this text");

    List<ComputeTaskInputAsset> inputs =
        network
            .tasks(ORG1)
            .getTaskInputAssets(
                GetTaskInputAssetsParam.newBuilder().setComputeTaskKey(merge.getKey()).build())
            .getAssetsList();
    assertEquals(2, inputs.size());
    assertEquals(left.getKey(), inputs.get(0).getModel().getComputeTaskKey());
    assertEquals(right.getKey(), inputs.get(1).getModel().getComputeTaskKey());

    run(merge.getKey());
    assertFalse(isRunning(plan), "every task is done");
  }

  @Test
  void onlyTheWorkerRunsATaskAndBuildActionsAreInternal() {
    String function = network.readyFunction(ORG1, Network.trainFunction(key()).build());
    String task =
        network.register(ORG1, trainTask(plan, function, dataManager, samples)).get(0).getKey();

    for (ComputeTaskAction action :
        List.of(
            ComputeTaskAction.TASK_ACTION_BUILD_STARTED,
            ComputeTaskAction.TASK_ACTION_BUILD_FINISHED,
            ComputeTaskAction.TASK_ACTION_UNKNOWN)) {
      StatusRuntimeException denied = refused(() -> network.taskAction(ORG1, task, action));
      assertEquals(Status.Code.PERMISSION_DENIED, denied.getStatus().getCode());
      assertEquals("OE0102: only task owner can update it", denied.getStatus().getDescription());
    }
    StatusRuntimeException stranger =
        refused(() -> network.taskAction(ORG2, task, ComputeTaskAction.TASK_ACTION_EXECUTING));
    assertEquals(Status.Code.PERMISSION_DENIED, stranger.getStatus().getCode());
    StatusRuntimeException tooEarly =
        refused(() -> network.taskAction(ORG1, task, ComputeTaskAction.TASK_ACTION_DONE));
    assertEquals(
        "event transitionDone inappropriate in current state STATUS_WAITING_FOR_EXECUTOR_SLOT",
        tooEarly.getStatus().getDescription());
    StatusRuntimeException missing =
        refused(() -> network.taskAction(ORG1, key(), ComputeTaskAction.TASK_ACTION_DONE));
    assertEquals(Status.Code.NOT_FOUND, missing.getStatus().getCode());
  }

  @Test
  void aFailureReportFailsTheTaskAndThePlanButNotItsChildren() {
    String function = network.readyFunction(ORG1, Network.trainFunction(key()).build());
    NewComputeTask.Builder parent = trainTask(plan, function, dataManager, samples);
    NewComputeTask.Builder child = trainTask(plan, function, dataManager, samples, parent.getKey());
    network.register(ORG1, parent, child);
    network.taskAction(ORG1, parent.getKey(), ComputeTaskAction.TASK_ACTION_EXECUTING);

    network
        .failureReports(ORG1)
        .registerFailureReport(
            NewFailureReport.newBuilder()
                .setAssetKey(parent.getKey())
                .setAssetType(FailedAssetKind.FAILED_ASSET_COMPUTE_TASK)
                .setErrorType(ErrorType.ERROR_TYPE_EXECUTION)
                .setLogsAddress(address("logs", parent.getKey()))
                .build());

    assertEquals(STATUS_FAILED, status(parent.getKey()));
    assertEquals(STATUS_WAITING_FOR_PARENT_TASKS, status(child.getKey()), "no cascade");
    assertTrue(
        network
            .plans(ORG1)
            .getPlan(GetComputePlanParam.newBuilder().setKey(plan).build())
            .hasFailureDate());
    assertFalse(isRunning(plan));
    List<Event> events = network.eventsOf(parent.getKey());
    assertEquals(AssetKind.ASSET_COMPUTE_TASK, events.get(events.size() - 2).getAssetKind());
    assertEquals(
        "failure report registered", events.get(events.size() - 2).getMetadataMap().get("reason"));
    assertEquals(AssetKind.ASSET_FAILURE_REPORT, last(events).getAssetKind(), "report comes last");

    NewComputeTask.Builder late = trainTask(plan, function, dataManager, samples, parent.getKey());
    assertEquals(STATUS_CANCELED, network.register(ORG1, late).get(0).getStatus());
  }

  @Test
  void modelsAndPerformancesAreRegisteredOnOutputsOfTheirKind() {
    String train = network.readyFunction(ORG1, Network.trainFunction(key()).build());
    String test = network.readyFunction(ORG1, Network.testFunction(key()).build());
    NewComputeTask.Builder training = trainTask(plan, train, dataManager, samples);
    NewComputeTask.Builder testing =
        NewComputeTask.newBuilder()
            .setKey(key())
            .setFunctionKey(test)
            .setComputePlanKey(plan)
            .addInputs(assetInput("opener", dataManager))
            .addInputs(assetInput("datasamples", samples.get(0)))
            .addInputs(parentInput("predictions", training.getKey(), "shared"))
            .putOutputs("performance", taskOutput(PUBLIC, false));
    network.register(ORG1, training, testing);
    network.taskAction(ORG1, training.getKey(), ComputeTaskAction.TASK_ACTION_EXECUTING);
    String model = network.model(ORG1, training.getKey(), "shared");

    StatusRuntimeException second = refused(() -> network.model(ORG1, training.getKey(), "shared"));
    assertEquals(Status.Code.ALREADY_EXISTS, second.getStatus().getCode());
    StatusRuntimeException wrongOutput =
        refused(() -> network.model(ORG1, training.getKey(), "nope"));
    assertEquals(Status.Code.INVALID_ARGUMENT, wrongOutput.getStatus().getCode());
    assertTrue(wrongOutput.getStatus().getDescription().startsWith("OE0106"));
    List<Event> events = network.eventsOf(training.getKey());
    assertEquals(AssetKind.ASSET_COMPUTE_TASK_OUTPUT_ASSET, last(events).getAssetKind());
    assertEquals(model, last(events).getComputeTaskOutputAsset().getAssetKey());

    network.taskAction(ORG1, training.getKey(), ComputeTaskAction.TASK_ACTION_DONE);
    network.taskAction(ORG1, testing.getKey(), ComputeTaskAction.TASK_ACTION_EXECUTING);
    StatusRuntimeException modelOnPerformance =
        refused(() -> network.model(ORG1, testing.getKey(), "performance"));
    assertTrue(modelOnPerformance.getStatus().getDescription().startsWith("OE0107"));
    network
        .performances(ORG1)
        .registerPerformance(
            NewPerformance.newBuilder()
                .setComputeTaskKey(testing.getKey())
                .setComputeTaskOutputIdentifier("performance")
                .setPerformanceValue(0.75f)
                .build());
    StatusRuntimeException twice =
        refused(
            () ->
                network
                    .performances(ORG1)
                    .registerPerformance(
                        NewPerformance.newBuilder()
                            .setComputeTaskKey(testing.getKey())
                            .setComputeTaskOutputIdentifier("performance")
                            .setPerformanceValue(0.5f)
                            .build()));
    assertEquals(
        "OE0006: performance with key \"" + testing.getKey() + "|performance\" already exists",
        twice.getStatus().getDescription());

    assertEquals(
        0.75f,
        network
            .performances(ORG2)
            .queryPerformances(QueryPerformancesParam.getDefaultInstance())
            .getPerformances(0)
            .getPerformanceValue());
    assertEquals(
        model,
        network
            .models(ORG2)
            .getComputeTaskOutputModels(
                GetComputeTaskModelsParam.newBuilder().setComputeTaskKey(training.getKey()).build())
            .getModels(0)
            .getKey());
  }

  @Test
  void transientOutputsAreDisabledOnceEveryChildFinished() {
    String train = network.readyFunction(ORG1, Network.trainFunction(key()).build());
    NewComputeTask.Builder parent =
        trainTask(plan, train, dataManager, samples).putOutputs("shared", taskOutput(PUBLIC, true));
    NewComputeTask.Builder child = trainTask(plan, train, dataManager, samples, parent.getKey());
    network.register(ORG1, parent, child);
    run(parent.getKey());
    DisableOutputParam disable =
        DisableOutputParam.newBuilder()
            .setComputeTaskKey(parent.getKey())
            .setIdentifier("shared")
            .build();

    StatusRuntimeException childRunning = refused(() -> network.tasks(ORG1).disableOutput(disable));
    assertEquals(Status.Code.UNKNOWN, childRunning.getStatus().getCode());
    assertTrue(childRunning.getStatus().getDescription().startsWith("OE0108"));

    run(child.getKey());
    network.tasks(ORG1).disableOutput(disable);

    List<Event> models =
        network.eventsOf(
            network
                .models(ORG1)
                .getComputeTaskOutputModels(
                    GetComputeTaskModelsParam.newBuilder()
                        .setComputeTaskKey(parent.getKey())
                        .build())
                .getModels(0)
                .getKey());
    assertEquals(EventKind.EVENT_ASSET_DISABLED, last(models).getEventKind());
    assertFalse(last(models).getModel().hasAddress());
    StatusRuntimeException disabledParent =
        refused(
            () ->
                network.register(
                    ORG1, trainTask(plan, train, dataManager, samples, parent.getKey())));
    assertEquals(Status.Code.INVALID_ARGUMENT, disabledParent.getStatus().getCode());
    assertTrue(disabledParent.getStatus().getDescription().endsWith("has been disabled"));
  }

  @Test
  void queryTasksFiltersByPlanStatusAndWorker() {
    String function = network.readyFunction(ORG1, Network.trainFunction(key()).build());
    NewComputeTask.Builder first = trainTask(plan, function, dataManager, samples);
    NewComputeTask.Builder second = trainTask(plan, function, dataManager, samples);
    network.register(ORG1, first, second);
    network.taskAction(ORG1, second.getKey(), ComputeTaskAction.TASK_ACTION_EXECUTING);

    List<ComputeTask> executing =
        network
            .tasks(ORG2)
            .queryTasks(
                QueryTasksParam.newBuilder()
                    .setFilter(
                        TaskQueryFilter.newBuilder()
                            .setComputePlanKey(plan)
                            .setStatus(STATUS_EXECUTING)
                            .setWorker(ORG1))
                    .build())
            .getTasksList();
    var page =
        network
            .tasks(ORG1)
            .queryTasks(
                QueryTasksParam.newBuilder()
                    .setPageSize(1)
                    .setFilter(TaskQueryFilter.newBuilder().setFunctionKey(function))
                    .build());

    assertEquals(1, executing.size());
    assertEquals(second.getKey(), executing.get(0).getKey());
    assertEquals(1, page.getTasksCount());
    assertEquals("1", page.getNextPageToken());
  }

  @Test
  void concurrentDonesOnOneTaskMakeOneTransition() throws Exception {
    String function = network.readyFunction(ORG1, Network.trainFunction(key()).build());
    NewComputeTask.Builder parent = trainTask(plan, function, dataManager, samples);
    NewComputeTask.Builder child = trainTask(plan, function, dataManager, samples, parent.getKey());
    network.register(ORG1, parent, child);
    network.taskAction(ORG1, parent.getKey(), ComputeTaskAction.TASK_ACTION_EXECUTING);
    network.model(ORG1, parent.getKey(), "shared");

    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<Status.Code>> outcomes = new ArrayList<>();
    try {
      for (int i = 0; i < 4; i++) {
        outcomes.add(
            pool.submit(
                () -> {
                  try {
                    network.taskAction(ORG1, parent.getKey(), ComputeTaskAction.TASK_ACTION_DONE);
                    return Status.Code.OK;
                  } catch (StatusRuntimeException e) {
                    return e.getStatus().getCode();
                  }
                }));
      }
      List<Status.Code> codes = new ArrayList<>();
      for (Future<Status.Code> outcome : outcomes) {
        codes.add(outcome.get(30, TimeUnit.SECONDS));
      }
      assertEquals(
          1, codes.stream().filter(code -> code == Status.Code.OK).count(), codes.toString());
      assertEquals(3, codes.stream().filter(code -> code == Status.Code.UNKNOWN).count());
    } finally {
      pool.shutdownNow();
    }
    assertEquals(
        1,
        network.eventsOf(child.getKey()).stream()
            .filter(event -> event.getEventKind() == EventKind.EVENT_ASSET_UPDATED)
            .count(),
        "the child was released once");
  }

  private void run(String task) {
    network.taskAction(ORG1, task, ComputeTaskAction.TASK_ACTION_EXECUTING);
    network.model(ORG1, task, "shared");
    network.taskAction(ORG1, task, ComputeTaskAction.TASK_ACTION_DONE);
    assertEquals(STATUS_DONE, status(task));
  }

  private boolean isRunning(String planKey) {
    return network
        .plans(ORG1)
        .isPlanRunning(IsPlanRunningParam.newBuilder().setKey(planKey).build())
        .getIsRunning();
  }

  private org.substra.node.orchestrator.protocol.ComputeTaskStatus status(String task) {
    return network.task(ORG2, task).getStatus();
  }

  private static Event last(List<Event> events) {
    return events.get(events.size() - 1);
  }
}
