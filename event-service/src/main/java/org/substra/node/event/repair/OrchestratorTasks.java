package org.substra.node.event.repair;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.AbstractStub;
import io.quarkus.grpc.GrpcClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.substra.node.event.config.EventConfig;
import org.substra.node.orchestrator.protocol.ComputeTask;
import org.substra.node.orchestrator.protocol.ComputeTaskServiceGrpc;
import org.substra.node.orchestrator.protocol.FailureReport;
import org.substra.node.orchestrator.protocol.FailureReportServiceGrpc;
import org.substra.node.orchestrator.protocol.GetFailureReportParam;
import org.substra.node.orchestrator.protocol.GetTaskParam;
import org.substra.node.orchestrator.protocol.client.CallerIdentity;

/**
 * The orchestrator's current state of a task, read as this organization (blocking: HTTP worker).
 */
@ApplicationScoped
public class OrchestratorTasks {

  private static final long DEADLINE_SECONDS = 30;

  private final ComputeTaskServiceGrpc.ComputeTaskServiceBlockingStub tasks;
  private final FailureReportServiceGrpc.FailureReportServiceBlockingStub failures;
  private final EventConfig config;

  OrchestratorTasks(
      @GrpcClient("orchestrator") ComputeTaskServiceGrpc.ComputeTaskServiceBlockingStub tasks,
      @GrpcClient("orchestrator")
          FailureReportServiceGrpc.FailureReportServiceBlockingStub failures,
      EventConfig config) {
    this.tasks = tasks;
    this.failures = failures;
    this.config = config;
  }

  /** The task; empty when the orchestrator does not know it in {@code channel}. */
  Optional<ComputeTask> task(String channel, String key) {
    try {
      return Optional.of(as(tasks, channel).getTask(GetTaskParam.newBuilder().setKey(key).build()));
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** The failure report of a failed task; empty when there is none (yet). */
  Optional<FailureReport> failureReport(String channel, String taskKey) {
    try {
      return Optional.of(
          as(failures, channel)
              .getFailureReport(GetFailureReportParam.newBuilder().setAssetKey(taskKey).build()));
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        return Optional.empty();
      }
      throw e;
    }
  }

  private <S extends AbstractStub<S>> S as(S stub, String channel) {
    return CallerIdentity.as(stub, config.mspId(), channel)
        .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);
  }
}
