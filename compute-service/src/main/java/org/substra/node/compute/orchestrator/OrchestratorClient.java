package org.substra.node.compute.orchestrator;

import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.AbstractStub;
import io.quarkus.grpc.GrpcClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.substra.node.compute.config.ComputeConfig;
import org.substra.node.orchestrator.protocol.Addressable;
import org.substra.node.orchestrator.protocol.ApplyFunctionActionParam;
import org.substra.node.orchestrator.protocol.ApplyTaskActionParam;
import org.substra.node.orchestrator.protocol.ComputePlan;
import org.substra.node.orchestrator.protocol.ComputePlanServiceGrpc;
import org.substra.node.orchestrator.protocol.ComputeTask;
import org.substra.node.orchestrator.protocol.ComputeTaskAction;
import org.substra.node.orchestrator.protocol.ComputeTaskInputAsset;
import org.substra.node.orchestrator.protocol.ComputeTaskServiceGrpc;
import org.substra.node.orchestrator.protocol.DisableOutputParam;
import org.substra.node.orchestrator.protocol.ErrorType;
import org.substra.node.orchestrator.protocol.FailedAssetKind;
import org.substra.node.orchestrator.protocol.FailureReportServiceGrpc;
import org.substra.node.orchestrator.protocol.Function;
import org.substra.node.orchestrator.protocol.FunctionAction;
import org.substra.node.orchestrator.protocol.FunctionServiceGrpc;
import org.substra.node.orchestrator.protocol.GetComputePlanParam;
import org.substra.node.orchestrator.protocol.GetComputeTaskModelsParam;
import org.substra.node.orchestrator.protocol.GetFunctionParam;
import org.substra.node.orchestrator.protocol.GetTaskInputAssetsParam;
import org.substra.node.orchestrator.protocol.GetTaskParam;
import org.substra.node.orchestrator.protocol.Model;
import org.substra.node.orchestrator.protocol.ModelServiceGrpc;
import org.substra.node.orchestrator.protocol.NewFailureReport;
import org.substra.node.orchestrator.protocol.NewModel;
import org.substra.node.orchestrator.protocol.NewPerformance;
import org.substra.node.orchestrator.protocol.Performance;
import org.substra.node.orchestrator.protocol.PerformanceQueryFilter;
import org.substra.node.orchestrator.protocol.PerformanceServiceGrpc;
import org.substra.node.orchestrator.protocol.ProfilingServiceGrpc;
import org.substra.node.orchestrator.protocol.ProfilingStep;
import org.substra.node.orchestrator.protocol.QueryPerformancesParam;
import org.substra.node.orchestrator.protocol.QueryPerformancesResponse;
import org.substra.node.orchestrator.protocol.RegisterModelsParam;
import org.substra.node.orchestrator.protocol.UpdateFunctionParam;
import org.substra.node.orchestrator.protocol.client.CallerIdentity;

/**
 * The orchestrator calls of builds and tasks, made as this organization in a message's channel.
 * Blocking on purpose: work runs on its own worker threads, never on the event loop. Like the
 * reference worker (worker-spec §2.10), UNKNOWN and UNAVAILABLE are tried again a few times.
 */
@ApplicationScoped
public class OrchestratorClient {

  private static final int ATTEMPTS = 5;

  private final Channel grpc;
  private final String mspId;

  @Inject
  OrchestratorClient(@GrpcClient("orchestrator") Channel grpc, ComputeConfig config) {
    this.grpc = grpc;
    this.mspId = config.mspId();
  }

  public String mspId() {
    return mspId;
  }

  private <S extends AbstractStub<S>> S as(S stub, String channel) {
    return CallerIdentity.as(stub, mspId, channel).withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  private static <T> T retried(Supplier<T> call) {
    for (int attempt = 1; ; attempt++) {
      try {
        return call.get();
      } catch (StatusRuntimeException e) {
        Status.Code code = e.getStatus().getCode();
        boolean transientFailure =
            (code == Status.Code.UNAVAILABLE || code == Status.Code.UNKNOWN)
                && !isTransitionRefusal(e);
        if (!transientFailure || attempt >= ATTEMPTS) {
          throw e;
        }
        try {
          Thread.sleep(code == Status.Code.UNAVAILABLE ? 500L * attempt : 200L);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  /** The state machines answer UNKNOWN for an illegal transition: trying again cannot help. */
  public static boolean isTransitionRefusal(StatusRuntimeException e) {
    String description = e.getStatus().getDescription();
    return description != null && description.contains("inappropriate in current state");
  }

  public ComputeTask task(String channel, String key) {
    return retried(
        () ->
            as(ComputeTaskServiceGrpc.newBlockingStub(grpc), channel)
                .getTask(GetTaskParam.newBuilder().setKey(key).build()));
  }

  public ComputePlan plan(String channel, String key) {
    return retried(
        () ->
            as(ComputePlanServiceGrpc.newBlockingStub(grpc), channel)
                .getPlan(GetComputePlanParam.newBuilder().setKey(key).build()));
  }

  public Function function(String channel, String key) {
    return retried(
        () ->
            as(FunctionServiceGrpc.newBlockingStub(grpc), channel)
                .getFunction(GetFunctionParam.newBuilder().setKey(key).build()));
  }

  public List<ComputeTaskInputAsset> inputAssets(String channel, String task) {
    return retried(
            () ->
                as(ComputeTaskServiceGrpc.newBlockingStub(grpc), channel)
                    .getTaskInputAssets(
                        GetTaskInputAssetsParam.newBuilder().setComputeTaskKey(task).build()))
        .getAssetsList();
  }

  public void taskAction(String channel, String task, ComputeTaskAction action, String log) {
    retried(
        () ->
            as(ComputeTaskServiceGrpc.newBlockingStub(grpc), channel)
                .applyTaskAction(
                    ApplyTaskActionParam.newBuilder()
                        .setComputeTaskKey(task)
                        .setAction(action)
                        .setLog(log)
                        .build()));
  }

  public void functionAction(String channel, String function, FunctionAction action) {
    retried(
        () ->
            as(FunctionServiceGrpc.newBlockingStub(grpc), channel)
                .applyFunctionAction(
                    ApplyFunctionActionParam.newBuilder()
                        .setFunctionKey(function)
                        .setAction(action)
                        .build()));
  }

  public void updateFunctionImage(String channel, Function function, Addressable image) {
    retried(
        () ->
            as(FunctionServiceGrpc.newBlockingStub(grpc), channel)
                .updateFunction(
                    UpdateFunctionParam.newBuilder()
                        .setKey(function.getKey())
                        .setName(function.getName())
                        .setImage(image)
                        .build()));
  }

  public void profilingStep(String channel, String asset, String step, long micros) {
    retried(
        () ->
            as(ProfilingServiceGrpc.newBlockingStub(grpc), channel)
                .registerProfilingStep(
                    ProfilingStep.newBuilder()
                        .setAssetKey(asset)
                        .setStep(step)
                        .setDuration((int) Math.min(Integer.MAX_VALUE, micros))
                        .build()));
  }

  public void registerModels(String channel, List<NewModel> models) {
    retried(
        () ->
            as(ModelServiceGrpc.newBlockingStub(grpc), channel)
                .registerModels(RegisterModelsParam.newBuilder().addAllModels(models).build()));
  }

  public void registerPerformance(String channel, String task, String identifier, float value) {
    retried(
        () ->
            as(PerformanceServiceGrpc.newBlockingStub(grpc), channel)
                .registerPerformance(
                    NewPerformance.newBuilder()
                        .setComputeTaskKey(task)
                        .setComputeTaskOutputIdentifier(identifier)
                        .setPerformanceValue(value)
                        .build()));
  }

  public void disableOutput(String channel, String task, String identifier) {
    retried(
        () ->
            as(ComputeTaskServiceGrpc.newBlockingStub(grpc), channel)
                .disableOutput(
                    DisableOutputParam.newBuilder()
                        .setComputeTaskKey(task)
                        .setIdentifier(identifier)
                        .build()));
  }

  public List<Model> outputModels(String channel, String task) {
    return retried(
            () ->
                as(ModelServiceGrpc.newBlockingStub(grpc), channel)
                    .getComputeTaskOutputModels(
                        GetComputeTaskModelsParam.newBuilder().setComputeTaskKey(task).build()))
        .getModelsList();
  }

  /** Every performance registered for the task's outputs. */
  public List<Performance> outputPerformances(String channel, String task) {
    List<Performance> performances = new ArrayList<>();
    String page = "";
    do {
      String token = page;
      QueryPerformancesResponse response =
          retried(
              () ->
                  as(PerformanceServiceGrpc.newBlockingStub(grpc), channel)
                      .queryPerformances(
                          QueryPerformancesParam.newBuilder()
                              .setPageSize(100)
                              .setPageToken(token)
                              .setFilter(
                                  PerformanceQueryFilter.newBuilder().setComputeTaskKey(task))
                              .build()));
      performances.addAll(response.getPerformancesList());
      page = response.getNextPageToken();
    } while (!page.isEmpty());
    return performances;
  }

  /** {@code logs} null: an internal error, registered without logs. */
  public void failureReport(
      String channel, String asset, FailedAssetKind kind, ErrorType error, Addressable logs) {
    NewFailureReport.Builder report =
        NewFailureReport.newBuilder().setAssetKey(asset).setAssetType(kind).setErrorType(error);
    if (logs != null) {
      report.setLogsAddress(logs);
    }
    retried(
        () ->
            as(FailureReportServiceGrpc.newBlockingStub(grpc), channel)
                .registerFailureReport(report.build()));
  }
}
