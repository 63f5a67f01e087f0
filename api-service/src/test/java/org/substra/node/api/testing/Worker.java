package org.substra.node.api.testing;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.stub.AbstractStub;
import java.util.concurrent.TimeUnit;
import org.substra.node.orchestrator.protocol.Addressable;
import org.substra.node.orchestrator.protocol.ApplyFunctionActionParam;
import org.substra.node.orchestrator.protocol.ApplyTaskActionParam;
import org.substra.node.orchestrator.protocol.ComputeTaskAction;
import org.substra.node.orchestrator.protocol.ComputeTaskServiceGrpc;
import org.substra.node.orchestrator.protocol.ErrorType;
import org.substra.node.orchestrator.protocol.FailedAssetKind;
import org.substra.node.orchestrator.protocol.FailureReportServiceGrpc;
import org.substra.node.orchestrator.protocol.FunctionAction;
import org.substra.node.orchestrator.protocol.FunctionServiceGrpc;
import org.substra.node.orchestrator.protocol.ModelServiceGrpc;
import org.substra.node.orchestrator.protocol.NewFailureReport;
import org.substra.node.orchestrator.protocol.NewModel;
import org.substra.node.orchestrator.protocol.RegisterModelsParam;
import org.substra.node.orchestrator.protocol.client.CallerIdentity;

/**
 * What compute-service tells the orchestrator about this organization's work (worker-spec §2), done
 * by hand so that API tests can reach built functions, models and failures.
 */
public final class Worker implements AutoCloseable {

  private static final String ORGANIZATION = "MyOrg1MSP";

  private final ManagedChannel channel =
      ManagedChannelBuilder.forAddress("127.0.0.1", RealNetwork.grpcPort()).usePlaintext().build();

  private <S extends AbstractStub<S>> S as(S stub) {
    return CallerIdentity.as(stub, ORGANIZATION, RealNetwork.CHANNEL)
        .withDeadlineAfter(20, TimeUnit.SECONDS);
  }

  /** The function's image is built: its tasks may run. */
  public void build(String function) {
    functionAction(function, FunctionAction.FUNCTION_ACTION_BUILDING);
    functionAction(function, FunctionAction.FUNCTION_ACTION_READY);
  }

  public void taskAction(String task, ComputeTaskAction action) {
    as(ComputeTaskServiceGrpc.newBlockingStub(channel))
        .applyTaskAction(
            ApplyTaskActionParam.newBuilder().setComputeTaskKey(task).setAction(action).build());
  }

  /** Registers the model {@code output} of {@code task}, stored under {@code key}. */
  public void model(String key, String task, String output, String checksum) {
    as(ModelServiceGrpc.newBlockingStub(channel))
        .registerModels(
            RegisterModelsParam.newBuilder()
                .addModels(
                    NewModel.newBuilder()
                        .setKey(key)
                        .setComputeTaskKey(task)
                        .setComputeTaskOutputIdentifier(output)
                        .setAddress(address(checksum, "/model/" + key + "/file/")))
                .build());
  }

  /** The task failed while executing; its logs are stored under its key. */
  public void executionFailure(String task, String logsChecksum) {
    as(FailureReportServiceGrpc.newBlockingStub(channel))
        .registerFailureReport(
            NewFailureReport.newBuilder()
                .setAssetKey(task)
                .setAssetType(FailedAssetKind.FAILED_ASSET_COMPUTE_TASK)
                .setErrorType(ErrorType.ERROR_TYPE_EXECUTION)
                .setLogsAddress(address(logsChecksum, "/logs/" + task + "/file/"))
                .build());
  }

  private void functionAction(String function, FunctionAction action) {
    as(FunctionServiceGrpc.newBlockingStub(channel))
        .applyFunctionAction(
            ApplyFunctionActionParam.newBuilder()
                .setFunctionKey(function)
                .setAction(action)
                .build());
  }

  private static Addressable address(String checksum, String path) {
    return Addressable.newBuilder()
        .setChecksum(checksum)
        .setStorageAddress("http://localhost:8000" + path)
        .build();
  }

  @Override
  public void close() {
    channel.shutdownNow();
  }
}
