package org.substra.node.scheduler.orchestrator;

import io.grpc.stub.AbstractStub;
import io.quarkus.grpc.GrpcClient;
import jakarta.inject.Singleton;
import java.util.concurrent.TimeUnit;
import org.substra.node.orchestrator.protocol.ApplyTaskActionParam;
import org.substra.node.orchestrator.protocol.ComputeTask;
import org.substra.node.orchestrator.protocol.ComputeTaskAction;
import org.substra.node.orchestrator.protocol.ComputeTaskServiceGrpc;
import org.substra.node.orchestrator.protocol.ErrorType;
import org.substra.node.orchestrator.protocol.FailedAssetKind;
import org.substra.node.orchestrator.protocol.FailureReportServiceGrpc;
import org.substra.node.orchestrator.protocol.GetTaskParam;
import org.substra.node.orchestrator.protocol.NewFailureReport;
import org.substra.node.orchestrator.protocol.client.CallerIdentity;
import org.substra.node.scheduler.config.SchedulerConfig;

/**
 * The orchestrator as the periodic jobs call it: blocking (jobs run on Quartz worker threads), as
 * this organization in one of its channels (the {@code mspid} and {@code channel} headers).
 */
@Singleton
public class Orchestrator {

  private static final long DEADLINE_SECONDS = 30;

  private final ComputeTaskServiceGrpc.ComputeTaskServiceBlockingStub tasks;
  private final FailureReportServiceGrpc.FailureReportServiceBlockingStub failures;
  private final SchedulerConfig config;

  Orchestrator(
      @GrpcClient("orchestrator") ComputeTaskServiceGrpc.ComputeTaskServiceBlockingStub tasks,
      @GrpcClient("orchestrator")
          FailureReportServiceGrpc.FailureReportServiceBlockingStub failures,
      SchedulerConfig config) {
    this.tasks = tasks;
    this.failures = failures;
    this.config = config;
  }

  public ComputeTask task(String channel, String key) {
    return as(tasks, channel).getTask(GetTaskParam.newBuilder().setKey(key).build());
  }

  /** Moves a task this organization works on to EXECUTING. */
  public void startExecuting(String channel, String key) {
    as(tasks, channel)
        .applyTaskAction(
            ApplyTaskActionParam.newBuilder()
                .setComputeTaskKey(key)
                .setAction(ComputeTaskAction.TASK_ACTION_EXECUTING)
                .build());
  }

  /** Fails an EXECUTING task of this organization with an INTERNAL_ERROR report, without logs. */
  public void reportInternalFailure(String channel, String key) {
    as(failures, channel)
        .registerFailureReport(
            NewFailureReport.newBuilder()
                .setAssetKey(key)
                .setAssetType(FailedAssetKind.FAILED_ASSET_COMPUTE_TASK)
                .setErrorType(ErrorType.ERROR_TYPE_INTERNAL)
                .build());
  }

  private <S extends AbstractStub<S>> S as(S stub, String channel) {
    return CallerIdentity.as(stub, config.mspId(), channel)
        .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);
  }
}
