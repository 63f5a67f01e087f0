package org.substra.node.scheduler.testing;

import static org.substra.node.testing.AssetMessages.PUBLIC;
import static org.substra.node.testing.AssetMessages.address;
import static org.substra.node.testing.AssetMessages.assetInput;
import static org.substra.node.testing.AssetMessages.input;
import static org.substra.node.testing.AssetMessages.key;
import static org.substra.node.testing.AssetMessages.output;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.stub.AbstractStub;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.substra.node.orchestrator.protocol.ApplyFunctionActionParam;
import org.substra.node.orchestrator.protocol.ApplyTaskActionParam;
import org.substra.node.orchestrator.protocol.AssetKind;
import org.substra.node.orchestrator.protocol.ComputePlanServiceGrpc;
import org.substra.node.orchestrator.protocol.ComputeTaskAction;
import org.substra.node.orchestrator.protocol.ComputeTaskServiceGrpc;
import org.substra.node.orchestrator.protocol.ComputeTaskStatus;
import org.substra.node.orchestrator.protocol.DataManagerServiceGrpc;
import org.substra.node.orchestrator.protocol.DataSampleServiceGrpc;
import org.substra.node.orchestrator.protocol.ErrorType;
import org.substra.node.orchestrator.protocol.FailureReportServiceGrpc;
import org.substra.node.orchestrator.protocol.FunctionAction;
import org.substra.node.orchestrator.protocol.FunctionServiceGrpc;
import org.substra.node.orchestrator.protocol.GetFailureReportParam;
import org.substra.node.orchestrator.protocol.GetTaskParam;
import org.substra.node.orchestrator.protocol.NewComputePlan;
import org.substra.node.orchestrator.protocol.NewComputeTask;
import org.substra.node.orchestrator.protocol.NewComputeTaskOutput;
import org.substra.node.orchestrator.protocol.NewDataManager;
import org.substra.node.orchestrator.protocol.NewDataSample;
import org.substra.node.orchestrator.protocol.NewFunction;
import org.substra.node.orchestrator.protocol.RegisterDataSamplesParam;
import org.substra.node.orchestrator.protocol.RegisterTasksParam;
import org.substra.node.orchestrator.protocol.UpdateFunctionParam;
import org.substra.node.orchestrator.protocol.client.CallerIdentity;
import org.substra.node.testing.TestOrchestrator;

/**
 * A client of the real orchestrator acting for {@code MyOrg1MSP} in {@code mychannel}: just enough
 * to bring train tasks of this organization to the status a test needs.
 */
public final class OrchestratorClient implements AutoCloseable {

  public static final String CHANNEL = "mychannel";
  public static final String ORG = "MyOrg1MSP";

  private final ManagedChannel channel;

  public OrchestratorClient(int port) {
    channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
  }

  private <S extends AbstractStub<S>> S as(S stub) {
    return CallerIdentity.as(stub, ORG, CHANNEL).withDeadlineAfter(20, TimeUnit.SECONDS);
  }

  /**
   * Registers this organization, a ready train function, a data manager with a sample and a plan,
   * then {@code count} train tasks, which wait for an executor slot. Returns the plan then the
   * tasks.
   */
  public List<String> waitingTasks(int count) {
    TestOrchestrator.join(channel, ORG);
    String function = key();
    as(FunctionServiceGrpc.newBlockingStub(channel))
        .registerFunction(
            NewFunction.newBuilder()
                .setKey(function)
                .setName("train")
                .setDescription(address("function-description", function))
                .setArchive(address("function-archive", function))
                .setNewPermissions(PUBLIC)
                .putInputs("datasamples", input(AssetKind.ASSET_DATA_SAMPLE, true, false))
                .putInputs("opener", input(AssetKind.ASSET_DATA_MANAGER, false, false))
                .putOutputs("shared", output(AssetKind.ASSET_MODEL))
                .build());
    functionAction(function, FunctionAction.FUNCTION_ACTION_BUILDING);
    as(FunctionServiceGrpc.newBlockingStub(channel))
        .updateFunction(
            UpdateFunctionParam.newBuilder()
                .setKey(function)
                .setName("train")
                .setImage(address("function-image", function))
                .build());
    functionAction(function, FunctionAction.FUNCTION_ACTION_READY);
    String dataManager = key();
    as(DataManagerServiceGrpc.newBlockingStub(channel))
        .registerDataManager(
            NewDataManager.newBuilder()
                .setKey(dataManager)
                .setName("data manager")
                .setNewPermissions(PUBLIC)
                .setDescription(address("data-manager-description", dataManager))
                .setOpener(address("opener", dataManager))
                .setLogsPermission(PUBLIC)
                .build());
    String sample = key();
    as(DataSampleServiceGrpc.newBlockingStub(channel))
        .registerDataSamples(
            RegisterDataSamplesParam.newBuilder()
                .addSamples(
                    NewDataSample.newBuilder()
                        .setKey(sample)
                        .addDataManagerKeys(dataManager)
                        .setChecksum("b".repeat(64)))
                .build());
    String plan = key();
    as(ComputePlanServiceGrpc.newBlockingStub(channel))
        .registerPlan(NewComputePlan.newBuilder().setKey(plan).setName("stuck").build());
    RegisterTasksParam.Builder batch = RegisterTasksParam.newBuilder();
    List<String> keys = new ArrayList<>();
    keys.add(plan);
    for (int i = 0; i < count; i++) {
      String task = key();
      keys.add(task);
      batch.addTasks(
          NewComputeTask.newBuilder()
              .setKey(task)
              .setFunctionKey(function)
              .setComputePlanKey(plan)
              .addInputs(assetInput("opener", dataManager))
              .addInputs(assetInput("datasamples", sample))
              .putOutputs(
                  "shared", NewComputeTaskOutput.newBuilder().setPermissions(PUBLIC).build()));
    }
    as(ComputeTaskServiceGrpc.newBlockingStub(channel)).registerTasks(batch.build());
    return keys;
  }

  public void startExecuting(String task) {
    as(ComputeTaskServiceGrpc.newBlockingStub(channel))
        .applyTaskAction(
            ApplyTaskActionParam.newBuilder()
                .setComputeTaskKey(task)
                .setAction(ComputeTaskAction.TASK_ACTION_EXECUTING)
                .build());
  }

  public ComputeTaskStatus status(String task) {
    return as(ComputeTaskServiceGrpc.newBlockingStub(channel))
        .getTask(GetTaskParam.newBuilder().setKey(task).build())
        .getStatus();
  }

  public ErrorType failureType(String task) {
    return as(FailureReportServiceGrpc.newBlockingStub(channel))
        .getFailureReport(GetFailureReportParam.newBuilder().setAssetKey(task).build())
        .getErrorType();
  }

  private void functionAction(String function, FunctionAction action) {
    as(FunctionServiceGrpc.newBlockingStub(channel))
        .applyFunctionAction(
            ApplyFunctionActionParam.newBuilder()
                .setFunctionKey(function)
                .setAction(action)
                .build());
  }

  @Override
  public void close() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }
}
