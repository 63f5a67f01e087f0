package org.substra.node.api.orchestrator;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.grpc.GrpcClientUtils;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Function;
import org.substra.node.api.config.ApiConfig;
import org.substra.node.orchestrator.protocol.ApplyPlanActionParam;
import org.substra.node.orchestrator.protocol.ComputePlanAction;
import org.substra.node.orchestrator.protocol.ComputePlanService;
import org.substra.node.orchestrator.protocol.ComputeTaskService;
import org.substra.node.orchestrator.protocol.DataManagerService;
import org.substra.node.orchestrator.protocol.DataSampleService;
import org.substra.node.orchestrator.protocol.FunctionService;
import org.substra.node.orchestrator.protocol.InfoService;
import org.substra.node.orchestrator.protocol.NewComputePlan;
import org.substra.node.orchestrator.protocol.NewDataManager;
import org.substra.node.orchestrator.protocol.NewFunction;
import org.substra.node.orchestrator.protocol.OrganizationService;
import org.substra.node.orchestrator.protocol.QueryVersionParam;
import org.substra.node.orchestrator.protocol.RegisterDataSamplesParam;
import org.substra.node.orchestrator.protocol.RegisterOrganizationParam;
import org.substra.node.orchestrator.protocol.RegisterTasksParam;
import org.substra.node.orchestrator.protocol.RegisterTasksResponse;
import org.substra.node.orchestrator.protocol.UpdateComputePlanParam;
import org.substra.node.orchestrator.protocol.UpdateDataManagerParam;
import org.substra.node.orchestrator.protocol.UpdateDataSamplesParam;
import org.substra.node.orchestrator.protocol.UpdateFunctionParam;
import org.substra.node.orchestrator.protocol.client.CallerIdentity;

/**
 * The orchestrator as this node calls it: as its organization, in one of its channels (the {@code
 * mspid} and {@code channel} headers), with failures turned into HTTP answers.
 */
@ApplicationScoped
public class Orchestrator {

  private final InfoService info;
  private final OrganizationService organizations;
  private final FunctionService functions;
  private final DataManagerService dataManagers;
  private final DataSampleService dataSamples;
  private final ComputePlanService plans;
  private final ComputeTaskService tasks;
  private final ApiConfig config;

  Orchestrator(
      @GrpcClient("orchestrator") InfoService info,
      @GrpcClient("orchestrator") OrganizationService organizations,
      @GrpcClient("orchestrator") FunctionService functions,
      @GrpcClient("orchestrator") DataManagerService dataManagers,
      @GrpcClient("orchestrator") DataSampleService dataSamples,
      @GrpcClient("orchestrator") ComputePlanService plans,
      @GrpcClient("orchestrator") ComputeTaskService tasks,
      ApiConfig config) {
    this.info = info;
    this.organizations = organizations;
    this.functions = functions;
    this.dataManagers = dataManagers;
    this.dataSamples = dataSamples;
    this.plans = plans;
    this.tasks = tasks;
    this.config = config;
  }

  public Uni<Void> registerFunction(String channel, NewFunction function) {
    return call(functions, channel, stub -> stub.registerFunction(function));
  }

  public Uni<Void> renameFunction(String channel, String key, String name) {
    return call(
        functions,
        channel,
        stub ->
            stub.updateFunction(
                UpdateFunctionParam.newBuilder().setKey(key).setName(name).build()));
  }

  public Uni<Void> registerDataManager(String channel, NewDataManager manager) {
    return call(dataManagers, channel, stub -> stub.registerDataManager(manager));
  }

  public Uni<Void> renameDataManager(String channel, String key, String name) {
    return call(
        dataManagers,
        channel,
        stub ->
            stub.updateDataManager(
                UpdateDataManagerParam.newBuilder().setKey(key).setName(name).build()));
  }

  public Uni<Void> registerDataSamples(String channel, RegisterDataSamplesParam samples) {
    return call(dataSamples, channel, stub -> stub.registerDataSamples(samples));
  }

  public Uni<Void> linkDataSamples(String channel, UpdateDataSamplesParam links) {
    return call(dataSamples, channel, stub -> stub.updateDataSamples(links));
  }

  public Uni<Void> registerPlan(String channel, NewComputePlan plan) {
    return call(plans, channel, stub -> stub.registerPlan(plan));
  }

  public Uni<Void> renamePlan(String channel, String key, String name) {
    return call(
        plans,
        channel,
        stub ->
            stub.updatePlan(UpdateComputePlanParam.newBuilder().setKey(key).setName(name).build()));
  }

  public Uni<Void> cancelPlan(String channel, String key) {
    return call(
        plans,
        channel,
        stub ->
            stub.applyPlanAction(
                ApplyPlanActionParam.newBuilder()
                    .setKey(key)
                    .setAction(ComputePlanAction.PLAN_ACTION_CANCELED)
                    .build()));
  }

  /** The registered tasks, in the orchestrator's (topological) order. */
  public Uni<RegisterTasksResponse> registerTasks(String channel, RegisterTasksParam batch) {
    return GrpcClientUtils.attachHeaders(tasks, headers(channel))
        .registerTasks(batch)
        .onFailure(StatusRuntimeException.class)
        .transform(failure -> OrchestratorErrors.toApi((StatusRuntimeException) failure));
  }

  /** One rpc as this organization in {@code channel}, its refusal as the HTTP answer. */
  private <S> Uni<Void> call(S service, String channel, Function<S, Uni<?>> rpc) {
    return rpc.apply(GrpcClientUtils.attachHeaders(service, headers(channel)))
        .replaceWithVoid()
        .onFailure(StatusRuntimeException.class)
        .transform(failure -> OrchestratorErrors.toApi((StatusRuntimeException) failure));
  }

  /** A refusal of the orchestrator, with its gRPC code, for callers that act on the code. */
  public static final class Refusal extends RuntimeException {
    private final Status.Code code;

    Refusal(StatusRuntimeException failure) {
      super(failure.getStatus().getDescription(), failure, false, false);
      this.code = failure.getStatus().getCode();
    }

    public Status.Code code() {
      return code;
    }
  }

  /** Registers this organization in {@code channel}; a {@link Refusal} carries the code. */
  public Uni<Void> registerOrganization(String channel, String address) {
    return GrpcClientUtils.attachHeaders(organizations, headers(channel))
        .registerOrganization(RegisterOrganizationParam.newBuilder().setAddress(address).build())
        .replaceWithVoid()
        .onFailure(StatusRuntimeException.class)
        .transform(failure -> new Refusal((StatusRuntimeException) failure));
  }

  public Uni<String> version(String channel) {
    return GrpcClientUtils.attachHeaders(info, headers(channel))
        .queryVersion(QueryVersionParam.getDefaultInstance())
        .map(response -> response.getOrchestrator())
        .onFailure(StatusRuntimeException.class)
        .transform(failure -> OrchestratorErrors.toApi((StatusRuntimeException) failure));
  }

  private Metadata headers(String channel) {
    return CallerIdentity.headers(config.organizationId(), channel);
  }
}
