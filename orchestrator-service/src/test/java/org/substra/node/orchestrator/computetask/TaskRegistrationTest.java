package org.substra.node.orchestrator.computetask;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.substra.node.orchestrator.Network.ORG1;
import static org.substra.node.orchestrator.Network.ORG2;
import static org.substra.node.orchestrator.Network.PRIVATE;
import static org.substra.node.orchestrator.Network.taskOutput;
import static org.substra.node.orchestrator.Network.trainTask;
import static org.substra.node.testing.AssetMessages.PUBLIC;
import static org.substra.node.testing.AssetMessages.assetInput;
import static org.substra.node.testing.AssetMessages.key;
import static org.substra.node.testing.AssetMessages.parentInput;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.substra.node.orchestrator.Network;
import org.substra.node.orchestrator.NetworkTest;
import org.substra.node.orchestrator.protocol.ComputeTask;
import org.substra.node.orchestrator.protocol.ComputeTaskStatus;
import org.substra.node.orchestrator.protocol.FunctionAction;
import org.substra.node.orchestrator.protocol.NewComputeTask;
import org.substra.node.orchestrator.protocol.NewPermissions;
import org.substra.node.orchestrator.protocol.QueryTasksParam;
import org.substra.node.orchestrator.protocol.RegisterTasksParam;
import org.substra.node.testing.Dependency;
import org.substra.node.testing.WithLocalDependencies;

/** The RegisterTasks algorithm of spec §3.8.2, rule by rule, through gRPC. */
@QuarkusTest
@WithLocalDependencies(
    value = {Dependency.POSTGRESQL, Dependency.RABBITMQ},
    database = "orchestrator_test")
class TaskRegistrationTest extends NetworkTest {

  private String dataManager;
  private List<String> samples;
  private String plan;
  private String train;

  @BeforeEach
  void open() {
    dataManager = network.dataManager(ORG1, PUBLIC);
    samples = network.dataSamples(ORG1, dataManager, 2);
    plan = network.plan(ORG1);
    train = network.readyFunction(ORG1, Network.trainFunction(key()).build());
  }

  @Test
  void anEmptyBatchIsABadRequest() {
    StatusRuntimeException refused =
        assertThrows(
            StatusRuntimeException.class,
            () -> network.tasks(ORG1).registerTasks(RegisterTasksParam.getDefaultInstance()));
    assertRefused(refused, Status.Code.FAILED_PRECONDITION, "OE0003: no task to register");
  }

  @Test
  void malformedTasksAreInvalidAndNothingIsStored() {
    NewComputeTask.Builder good = trainTask(plan, train, dataManager, samples);
    NewComputeTask.Builder bad = trainTask(plan, train, dataManager, samples).setKey("NOT-A-UUID");

    StatusRuntimeException refused = register(good, bad);

    assertRefused(
        refused,
        Status.Code.INVALID_ARGUMENT,
        "OE0101: computetask is not valid: key: must be a valid UUID.");
    StatusRuntimeException notStored =
        assertThrows(StatusRuntimeException.class, () -> network.task(ORG1, good.getKey()));
    assertEquals(Status.Code.NOT_FOUND, notStored.getStatus().getCode());
  }

  @Test
  void anExistingKeyIsAConflict() {
    NewComputeTask.Builder task = trainTask(plan, train, dataManager, samples);
    network.register(ORG1, task);

    assertRefused(
        register(task),
        Status.Code.ALREADY_EXISTS,
        "OE0006: computetask with key \"" + task.getKey() + "\" already exists");
  }

  @Test
  void cyclesAndUnknownParentsLeaveTasksUnsorted() {
    NewComputeTask.Builder a = trainTask(plan, train, dataManager, samples);
    NewComputeTask.Builder b = trainTask(plan, train, dataManager, samples, a.getKey());
    a.addInputs(parentInput("shared", b.getKey(), "shared"));
    NewComputeTask.Builder orphan = trainTask(plan, train, dataManager, samples, key());

    assertRefused(
        register(a, b),
        Status.Code.INVALID_ARGUMENT,
        "OE0101: cyclic dependency in compute plan graph or unknown task parent,"
            + " unsorted_tasks_count: 2");
    assertRefused(
        register(orphan),
        Status.Code.INVALID_ARGUMENT,
        "OE0101: cyclic dependency in compute plan graph or unknown task parent,"
            + " unsorted_tasks_count: 1");
  }

  @Test
  void onlyThePlanOwnerAddsTasks() {
    assertRefused(
        register(ORG2, trainTask(plan, train, dataManager, samples)),
        Status.Code.PERMISSION_DENIED,
        "OE0102: Cannot register tasks to a compute plan you don't own");
    assertEquals(
        Status.Code.NOT_FOUND,
        register(trainTask(key(), train, dataManager, samples)).getStatus().getCode());
  }

  @Test
  void theWorkerIsTheDataOwnerOrMustBeGiven() {
    String aggregate = network.readyFunction(ORG1, Network.aggregateFunction(key()).build());
    NewComputeTask.Builder parent = trainTask(plan, train, dataManager, samples);
    network.register(ORG1, parent);
    NewComputeTask.Builder withoutWorker =
        NewComputeTask.newBuilder()
            .setKey(key())
            .setFunctionKey(aggregate)
            .setComputePlanKey(plan)
            .addInputs(parentInput("shared", parent.getKey(), "shared"))
            .putOutputs("shared", taskOutput(PUBLIC, false));

    assertRefused(
        register(withoutWorker),
        Status.Code.FAILED_PRECONDITION,
        "OE0003: Worker cannot be inferred and must be explicitly set");
    assertEquals(
        Status.Code.NOT_FOUND,
        register(withoutWorker.clone().setWorker("MyOrg9MSP")).getStatus().getCode());
    assertRefused(
        register(trainTask(plan, train, dataManager, samples).setWorker(ORG2)),
        Status.Code.FAILED_PRECONDITION,
        "OE0003: Specified worker \"MyOrg2MSP\" does not match data manager owner: \"MyOrg1MSP\"");
    assertEquals(ORG2, network.register(ORG1, withoutWorker.setWorker(ORG2)).get(0).getWorker());
  }

  @Test
  void inputsMustMatchTheFunction() {
    NewComputeTask.Builder unknown =
        trainTask(plan, train, dataManager, samples).addInputs(assetInput("extra", samples.get(0)));
    NewComputeTask.Builder twoOpeners =
        trainTask(plan, train, dataManager, samples).addInputs(assetInput("opener", dataManager));
    NewComputeTask.Builder noSamples =
        NewComputeTask.newBuilder()
            .setKey(key())
            .setFunctionKey(train)
            .setComputePlanKey(plan)
            .addInputs(assetInput("opener", dataManager))
            .putOutputs("shared", taskOutput(PUBLIC, false));
    String otherManager = network.dataManager(ORG1, PUBLIC);
    List<String> otherSamples = network.dataSamples(ORG1, otherManager, 1);
    NewComputeTask.Builder mixed = trainTask(plan, train, dataManager, otherSamples);
    NewComputeTask.Builder missingSample = trainTask(plan, train, dataManager, List.of(key()));

    assertRefused(
        register(unknown), Status.Code.INVALID_ARGUMENT, "OE0101: unknown task input \"extra\"");
    assertRefused(
        register(twoOpeners),
        Status.Code.INVALID_ARGUMENT,
        "OE0101: duplicate task input \"opener\"");
    assertRefused(
        register(noSamples),
        Status.Code.INVALID_ARGUMENT,
        "OE0101: missing task input \"datasamples\"");
    assertRefused(
        register(mixed),
        Status.Code.INVALID_ARGUMENT,
        "OE0101: datasamples do not share a common manager");
    assertEquals(Status.Code.NOT_FOUND, register(missingSample).getStatus().getCode());
  }

  @Test
  void outputsMustMatchTheFunctionAndPerformancesArePublic() {
    String test = network.readyFunction(ORG1, Network.testFunction(key()).build());
    NewComputeTask.Builder parent = trainTask(plan, train, dataManager, samples);
    network.register(ORG1, parent);
    NewComputeTask.Builder privatePerformance =
        NewComputeTask.newBuilder()
            .setKey(key())
            .setFunctionKey(test)
            .setComputePlanKey(plan)
            .addInputs(assetInput("opener", dataManager))
            .addInputs(assetInput("datasamples", samples.get(0)))
            .addInputs(parentInput("predictions", parent.getKey(), "shared"))
            .putOutputs("performance", taskOutput(PRIVATE, false));

    assertRefused(
        register(trainTask(plan, train, dataManager, samples).clearOutputs()),
        Status.Code.INVALID_ARGUMENT,
        "OE0101: missing task output \"shared\"");
    assertRefused(
        register(privatePerformance),
        Status.Code.INVALID_ARGUMENT,
        "OE0101: performance output \"performance\" must be public and not transient");
    assertRefused(
        register(
            trainTask(plan, train, dataManager, samples)
                .putOutputs(
                    "shared",
                    taskOutput(
                        NewPermissions.newBuilder().addAuthorizedIds("MyOrg9MSP").build(), false))),
        Status.Code.FAILED_PRECONDITION,
        "OE0003: invalid permission input values");
  }

  @Test
  void permissionsDecideWhoProcessesWhat() {
    String privateFunction =
        network.readyFunction(
            ORG2, Network.trainFunction(key()).setNewPermissions(PRIVATE).build());
    NewComputeTask.Builder parent =
        trainTask(plan, train, dataManager, samples)
            .putOutputs("shared", taskOutput(PRIVATE, false));
    network.register(ORG1, parent);
    String aggregate = network.readyFunction(ORG1, Network.aggregateFunction(key()).build());
    NewComputeTask.Builder elsewhere =
        NewComputeTask.newBuilder()
            .setKey(key())
            .setFunctionKey(aggregate)
            .setComputePlanKey(plan)
            .setWorker(ORG2)
            .addInputs(parentInput("shared", parent.getKey(), "shared"))
            .putOutputs("shared", taskOutput(PUBLIC, false));

    assertEquals(
        Status.Code.PERMISSION_DENIED,
        register(trainTask(plan, privateFunction, dataManager, samples)).getStatus().getCode());
    assertEquals(
        Status.Code.PERMISSION_DENIED,
        register(elsewhere).getStatus().getCode(),
        "ORG2 may not process ORG1's private output");
  }

  @Test
  void logsPermissionComesFromTheDataOrTheParents() {
    String privateManager = network.dataManager(ORG1, PRIVATE);
    List<String> privateSamples = network.dataSamples(ORG1, privateManager, 1);
    String aggregate = network.readyFunction(ORG1, Network.aggregateFunction(key()).build());
    NewComputeTask.Builder parent = trainTask(plan, train, privateManager, privateSamples);
    NewComputeTask.Builder child =
        NewComputeTask.newBuilder()
            .setKey(key())
            .setFunctionKey(aggregate)
            .setComputePlanKey(plan)
            .setWorker(ORG2)
            .addInputs(parentInput("shared", parent.getKey(), "shared"))
            .putOutputs("shared", taskOutput(PUBLIC, false));

    List<ComputeTask> created = network.register(ORG1, parent, child);

    assertEquals(List.of(ORG1), created.get(0).getLogsPermission().getAuthorizedIdsList());
    assertEquals(false, created.get(1).getLogsPermission().getPublic());
    assertEquals(List.of(ORG1), created.get(1).getLogsPermission().getAuthorizedIdsList());
    assertEquals("t", created.get(0).getMetadataMap().get("__tag__"));
  }

  @Test
  void initialStatusFollowsFunctionAndParents() {
    String waiting = network.function(ORG1, Network.trainFunction(key()).build());
    String failed = network.function(ORG1, Network.trainFunction(key()).build());
    network.functionAction(ORG1, failed, FunctionAction.FUNCTION_ACTION_BUILDING);
    network.functionAction(ORG1, failed, FunctionAction.FUNCTION_ACTION_FAILED);

    assertEquals(
        ComputeTaskStatus.STATUS_WAITING_FOR_BUILDER_SLOT,
        network.register(ORG1, trainTask(plan, waiting, dataManager, samples)).get(0).getStatus());
    assertEquals(
        ComputeTaskStatus.STATUS_FAILED,
        network.register(ORG1, trainTask(plan, failed, dataManager, samples)).get(0).getStatus());
    assertTrue(
        network.register(ORG1, trainTask(plan, train, dataManager, samples)).get(0).getStatus()
            == ComputeTaskStatus.STATUS_WAITING_FOR_EXECUTOR_SLOT);
  }

  @Test
  void anOversizedRequestIsRefusedAndAPageTokenMustBeAnOffset() {
    NewComputeTask.Builder huge =
        trainTask(plan, train, dataManager, samples).putMetadata("blob", "x".repeat(5 << 20));

    StatusRuntimeException tooBig = register(huge);
    StatusRuntimeException badToken =
        refused(
            () ->
                network
                    .tasks(ORG1)
                    .queryTasks(QueryTasksParam.newBuilder().setPageToken("next").build()));

    assertEquals(Status.Code.RESOURCE_EXHAUSTED, tooBig.getStatus().getCode());
    assertEquals(Status.Code.UNKNOWN, badToken.getStatus().getCode());
    assertEquals(
        "invalid page token \"next\": must be a decimal offset",
        badToken.getStatus().getDescription());
    assertEquals(
        Status.Code.NOT_FOUND,
        refused(() -> network.task(ORG1, huge.getKey())).getStatus().getCode());
  }

  private StatusRuntimeException register(NewComputeTask.Builder... tasks) {
    return register(ORG1, tasks);
  }

  private StatusRuntimeException register(String organization, NewComputeTask.Builder... tasks) {
    return assertThrows(StatusRuntimeException.class, () -> network.register(organization, tasks));
  }

  private static void assertRefused(
      StatusRuntimeException refused, Status.Code code, String description) {
    assertEquals(code, refused.getStatus().getCode(), refused.getStatus().getDescription());
    assertEquals(description, refused.getStatus().getDescription());
  }
}
