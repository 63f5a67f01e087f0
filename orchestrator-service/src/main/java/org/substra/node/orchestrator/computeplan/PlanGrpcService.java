package org.substra.node.orchestrator.computeplan;

import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;
import org.substra.node.orchestrator.identity.Caller;
import org.substra.node.orchestrator.protocol.ApplyPlanActionParam;
import org.substra.node.orchestrator.protocol.ApplyPlanActionResponse;
import org.substra.node.orchestrator.protocol.ComputePlan;
import org.substra.node.orchestrator.protocol.GetComputePlanParam;
import org.substra.node.orchestrator.protocol.IsPlanRunningParam;
import org.substra.node.orchestrator.protocol.IsPlanRunningResponse;
import org.substra.node.orchestrator.protocol.NewComputePlan;
import org.substra.node.orchestrator.protocol.QueryPlansParam;
import org.substra.node.orchestrator.protocol.QueryPlansResponse;
import org.substra.node.orchestrator.protocol.UpdateComputePlanParam;
import org.substra.node.orchestrator.protocol.UpdateComputePlanResponse;
import org.substra.node.orchestrator.storage.Page;

/** {@code orchestrator.ComputePlanService}. */
@GrpcService
public class PlanGrpcService implements org.substra.node.orchestrator.protocol.ComputePlanService {

  private final PlanService plans;

  PlanGrpcService(PlanService plans) {
    this.plans = plans;
  }

  @Override
  public Uni<ComputePlan> registerPlan(NewComputePlan request) {
    return plans.register(Caller.current(), request);
  }

  @Override
  public Uni<ComputePlan> getPlan(GetComputePlanParam request) {
    return plans.get(Caller.current(), request.getKey());
  }

  @Override
  public Uni<ApplyPlanActionResponse> applyPlanAction(ApplyPlanActionParam request) {
    return plans
        .applyAction(Caller.current(), request.getKey(), request.getAction())
        .replaceWith(ApplyPlanActionResponse.getDefaultInstance());
  }

  @Override
  public Uni<QueryPlansResponse> queryPlans(QueryPlansParam request) {
    Caller caller = Caller.current();
    return Page.serve(
        request.getPageToken(),
        request.getPageSize(),
        page -> plans.query(caller, request.getFilter(), page),
        (found, next) ->
            QueryPlansResponse.newBuilder().addAllPlans(found).setNextPageToken(next).build());
  }

  @Override
  public Uni<UpdateComputePlanResponse> updatePlan(UpdateComputePlanParam request) {
    return plans
        .update(Caller.current(), request.getKey(), request.getName())
        .replaceWith(UpdateComputePlanResponse.getDefaultInstance());
  }

  @Override
  public Uni<IsPlanRunningResponse> isPlanRunning(IsPlanRunningParam request) {
    return plans
        .isRunning(Caller.current(), request.getKey())
        .map(running -> IsPlanRunningResponse.newBuilder().setIsRunning(running).build());
  }
}
