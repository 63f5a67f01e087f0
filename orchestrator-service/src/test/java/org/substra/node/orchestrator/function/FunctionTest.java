package org.substra.node.orchestrator.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.substra.node.orchestrator.Network.ORG1;
import static org.substra.node.orchestrator.Network.ORG2;
import static org.substra.node.orchestrator.Network.output;
import static org.substra.node.orchestrator.Network.trainTask;
import static org.substra.node.testing.AssetMessages.PUBLIC;
import static org.substra.node.testing.AssetMessages.address;
import static org.substra.node.testing.AssetMessages.input;
import static org.substra.node.testing.AssetMessages.key;

import com.google.protobuf.Empty;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.substra.node.orchestrator.Network;
import org.substra.node.orchestrator.NetworkTest;
import org.substra.node.orchestrator.protocol.Addressable;
import org.substra.node.orchestrator.protocol.AssetKind;
import org.substra.node.orchestrator.protocol.ComputeTaskStatus;
import org.substra.node.orchestrator.protocol.ErrorType;
import org.substra.node.orchestrator.protocol.Event;
import org.substra.node.orchestrator.protocol.FailedAssetKind;
import org.substra.node.orchestrator.protocol.Function;
import org.substra.node.orchestrator.protocol.FunctionAction;
import org.substra.node.orchestrator.protocol.FunctionQueryFilter;
import org.substra.node.orchestrator.protocol.FunctionStatus;
import org.substra.node.orchestrator.protocol.GetFunctionParam;
import org.substra.node.orchestrator.protocol.NewFailureReport;
import org.substra.node.orchestrator.protocol.NewFunction;
import org.substra.node.orchestrator.protocol.NewPermissions;
import org.substra.node.orchestrator.protocol.ProfilingServiceGrpc;
import org.substra.node.orchestrator.protocol.ProfilingStep;
import org.substra.node.orchestrator.protocol.QueryFunctionsParam;
import org.substra.node.orchestrator.protocol.UpdateFunctionParam;
import org.substra.node.testing.Dependency;
import org.substra.node.testing.WithLocalDependencies;

/** Functions and their build state machine (spec §3.4), failure reports on builds, profiling. */
@QuarkusTest
@WithLocalDependencies(
    value = {Dependency.POSTGRESQL, Dependency.RABBITMQ},
    database = "orchestrator_test")
class FunctionTest extends NetworkTest {

  @Test
  void registersAWaitingFunctionOwnedByTheCaller() {
    String key = key();
    Function function =
        network
            .functions(ORG1)
            .registerFunction(
                Network.trainFunction(key)
                    .setNewPermissions(NewPermissions.newBuilder().addAuthorizedIds(ORG2))
                    .putMetadata("framework", "torch")
                    .build());

    assertEquals(FunctionStatus.FUNCTION_STATUS_WAITING, function.getStatus());
    assertEquals(ORG1, function.getOwner());
    assertEquals(
        List.of(ORG2, ORG1), function.getPermissions().getProcess().getAuthorizedIdsList());
    assertEquals(function.getPermissions().getProcess(), function.getPermissions().getDownload());
    assertEquals("", function.getImage().getChecksum());
    assertEquals(function, get(ORG2, key), "what is answered is what is stored");
    Event created = network.eventsOf(key).get(0);
    assertEquals(AssetKind.ASSET_FUNCTION, created.getAssetKind());
    assertEquals(function, created.getFunction());

    StatusRuntimeException again =
        refused(() -> network.function(ORG1, Network.trainFunction(key).build()));
    assertEquals(Status.Code.ALREADY_EXISTS, again.getStatus().getCode());
    assertEquals(
        "OE0006: function with key \"" + key + "\" already exists",
        again.getStatus().getDescription());
  }

  @Test
  void invalidFunctionsAreRefusedWithEveryReason() {
    NewFunction bad =
        NewFunction.newBuilder()
            .setKey("key")
            .setName("x".repeat(101))
            .setDescription(Addressable.newBuilder().setChecksum("short").setStorageAddress("x"))
            .setArchive(address("archive", key()))
            .setNewPermissions(PUBLIC)
            .putMetadata("k", "v".repeat(101))
            .build();

    StatusRuntimeException refused = refused(() -> network.function(ORG1, bad));

    assertEquals(Status.Code.INVALID_ARGUMENT, refused.getStatus().getCode());
    assertEquals(
        "OE0101: function is not valid: description: checksum: must be a valid hexadecimal"
            + " checksum; key: must be a valid UUID; metadata: metadata value for key \"k\" is too"
            + " long; name: the length must be between 1 and 100.",
        refused.getStatus().getDescription());
    for (NewFunction shape :
        List.of(
            Network.newFunction(key())
                .putInputs("opener", input(AssetKind.ASSET_DATA_MANAGER, false, false))
                .build(),
            Network.newFunction(key())
                .putInputs("data", input(AssetKind.ASSET_DATA_SAMPLE, true, false))
                .putInputs("opener", input(AssetKind.ASSET_DATA_MANAGER, true, false))
                .build(),
            Network.newFunction(key())
                .putOutputs("perf", output(AssetKind.ASSET_PERFORMANCE, true))
                .build(),
            Network.newFunction(key())
                .putInputs("unknown", input(AssetKind.ASSET_UNKNOWN, false, false))
                .build(),
            Network.newFunction(key()).clearNewPermissions().build())) {
      assertEquals(
          Status.Code.INVALID_ARGUMENT,
          refused(() -> network.function(ORG1, shape)).getStatus().getCode(),
          shape.toString());
    }
    StatusRuntimeException unknownOrganization =
        refused(
            () ->
                network.function(
                    ORG1,
                    Network.newFunction(key())
                        .setNewPermissions(NewPermissions.newBuilder().addAuthorizedIds("Nobody"))
                        .build()));
    assertEquals(Status.Code.FAILED_PRECONDITION, unknownOrganization.getStatus().getCode());
  }

  @Test
  void theBuildStateMachineChecksActionThenExistenceThenOwnerThenState() {
    String key = network.function(ORG1, Network.trainFunction(key()).build());

    StatusRuntimeException unknownAction =
        refused(() -> network.functionAction(ORG1, key(), FunctionAction.FUNCTION_ACTION_UNKNOWN));
    StatusRuntimeException missing =
        refused(() -> network.functionAction(ORG1, key(), FunctionAction.FUNCTION_ACTION_BUILDING));
    StatusRuntimeException stranger =
        refused(() -> network.functionAction(ORG2, key, FunctionAction.FUNCTION_ACTION_BUILDING));
    StatusRuntimeException notBuilding =
        refused(() -> network.functionAction(ORG1, key, FunctionAction.FUNCTION_ACTION_FAILED));

    assertEquals("OE0003: unsupported action", unknownAction.getStatus().getDescription());
    assertEquals(Status.Code.FAILED_PRECONDITION, unknownAction.getStatus().getCode());
    assertEquals(Status.Code.NOT_FOUND, missing.getStatus().getCode());
    assertEquals(
        "OE0102: only function owner can update it", stranger.getStatus().getDescription());
    assertEquals(Status.Code.UNKNOWN, notBuilding.getStatus().getCode());
    assertEquals(
        "event transitionFailed inappropriate in current state FUNCTION_STATUS_WAITING",
        notBuilding.getStatus().getDescription());

    network.functionAction(ORG1, key, FunctionAction.FUNCTION_ACTION_BUILDING);
    network
        .functions(ORG1)
        .updateFunction(
            UpdateFunctionParam.newBuilder()
                .setKey(key)
                .setName("renamed")
                .setImage(address("function-image", key))
                .build());
    network.functionAction(ORG1, key, FunctionAction.FUNCTION_ACTION_READY);
    assertEquals(FunctionStatus.FUNCTION_STATUS_READY, get(ORG1, key).getStatus());
    assertEquals("renamed", get(ORG1, key).getName());
  }

  @Test
  void aReadyFunctionKeepsItsImage() {
    String key = network.readyFunction(ORG1, Network.trainFunction(key()).build());

    network
        .functions(ORG1)
        .updateFunction(UpdateFunctionParam.newBuilder().setKey(key).setName("renamed").build());
    Function function = get(ORG1, key);

    assertEquals("renamed", function.getName());
    assertEquals(address("function-image", key), function.getImage(), "an empty image is kept");
    StatusRuntimeException stranger =
        refused(
            () ->
                network
                    .functions(ORG2)
                    .updateFunction(
                        UpdateFunctionParam.newBuilder().setKey(key).setName("mine").build()));
    assertEquals(Status.Code.PERMISSION_DENIED, stranger.getStatus().getCode());
  }

  @Test
  void aBuildFailureReportFailsTheFunctionAndItsBuildingTasks() {
    String key = network.function(ORG1, Network.trainFunction(key()).build());
    String dataManager = network.dataManager(ORG1, PUBLIC);
    List<String> samples = network.dataSamples(ORG1, dataManager, 1);
    String plan = network.plan(ORG1);
    String task =
        network.register(ORG1, trainTask(plan, key, dataManager, samples)).get(0).getKey();
    network.functionAction(ORG1, key, FunctionAction.FUNCTION_ACTION_BUILDING);

    network
        .failureReports(ORG1)
        .registerFailureReport(
            NewFailureReport.newBuilder()
                .setAssetKey(key)
                .setAssetType(FailedAssetKind.FAILED_ASSET_FUNCTION)
                .setErrorType(ErrorType.ERROR_TYPE_BUILD)
                .setLogsAddress(address("logs", key))
                .build());

    assertEquals(FunctionStatus.FUNCTION_STATUS_FAILED, get(ORG1, key).getStatus());
    assertEquals(ComputeTaskStatus.STATUS_FAILED, network.task(ORG1, task).getStatus());
    List<Event> events = network.eventsOf(key);
    assertEquals(
        "failure report registered", events.get(events.size() - 2).getMetadataMap().get("reason"));
    assertEquals(AssetKind.ASSET_FAILURE_REPORT, events.get(events.size() - 1).getAssetKind());
    StatusRuntimeException internalWithLogs =
        refused(
            () ->
                network
                    .failureReports(ORG1)
                    .registerFailureReport(
                        NewFailureReport.newBuilder()
                            .setAssetKey(key())
                            .setAssetType(FailedAssetKind.FAILED_ASSET_FUNCTION)
                            .setErrorType(ErrorType.ERROR_TYPE_INTERNAL)
                            .setLogsAddress(address("logs", key))
                            .build()));
    assertEquals(Status.Code.INVALID_ARGUMENT, internalWithLogs.getStatus().getCode());
  }

  @Test
  void queryFunctionsPagesAndFiltersByPlan() {
    String used = network.readyFunction(ORG1, Network.trainFunction(key()).build());
    network.function(ORG1, Network.trainFunction(key()).build());
    network.function(ORG1, Network.trainFunction(key()).build());
    String dataManager = network.dataManager(ORG1, PUBLIC);
    List<String> samples = network.dataSamples(ORG1, dataManager, 1);
    String plan = network.plan(ORG1);
    network.register(ORG1, trainTask(plan, used, dataManager, samples));

    var firstPage =
        network
            .functions(ORG2)
            .queryFunctions(QueryFunctionsParam.newBuilder().setPageSize(2).build());
    var lastPage =
        network
            .functions(ORG2)
            .queryFunctions(
                QueryFunctionsParam.newBuilder()
                    .setPageSize(2)
                    .setPageToken(firstPage.getNextPageToken())
                    .build());
    var ofPlan =
        network
            .functions(ORG2)
            .queryFunctions(
                QueryFunctionsParam.newBuilder()
                    .setFilter(FunctionQueryFilter.newBuilder().setComputePlanKey(plan))
                    .build());

    assertEquals(2, firstPage.getFunctionsCount());
    assertEquals("2", firstPage.getNextPageToken());
    assertEquals(1, lastPage.getFunctionsCount());
    assertEquals("", lastPage.getNextPageToken());
    assertEquals(List.of(used), ofPlan.getFunctionsList().stream().map(Function::getKey).toList());
  }

  @Test
  void profilingStepsAreOnlyAnnounced() {
    String key = key();
    var profiling =
        org.substra.node.orchestrator.OrchestratorChannel.as(
            ProfilingServiceGrpc.newBlockingStub(orchestrator.channel()), ORG1, Network.CHANNEL);

    Empty answer =
        profiling.registerProfilingStep(
            ProfilingStep.newBuilder()
                .setAssetKey(key)
                .setStep("build_image")
                .setDuration(1500)
                .build());

    assertEquals(Empty.getDefaultInstance(), answer);
    Event event = network.eventsOf(key).get(0);
    assertEquals(AssetKind.ASSET_PROFILING_STEP, event.getAssetKind());
    assertEquals(1500, event.getProfilingStep().getDuration());
    assertFalse(
        refused(
                () ->
                    profiling.registerProfilingStep(
                        ProfilingStep.newBuilder().setAssetKey(key).setStep("x").build()))
            .getStatus()
            .isOk());
  }

  private Function get(String organization, String key) {
    return network
        .functions(organization)
        .getFunction(GetFunctionParam.newBuilder().setKey(key).build());
  }
}
