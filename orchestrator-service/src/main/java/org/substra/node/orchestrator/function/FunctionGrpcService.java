package org.substra.node.orchestrator.function;

import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;
import org.substra.node.orchestrator.identity.Caller;
import org.substra.node.orchestrator.protocol.ApplyFunctionActionParam;
import org.substra.node.orchestrator.protocol.ApplyFunctionActionResponse;
import org.substra.node.orchestrator.protocol.Function;
import org.substra.node.orchestrator.protocol.GetFunctionParam;
import org.substra.node.orchestrator.protocol.NewFunction;
import org.substra.node.orchestrator.protocol.QueryFunctionsParam;
import org.substra.node.orchestrator.protocol.QueryFunctionsResponse;
import org.substra.node.orchestrator.protocol.UpdateFunctionParam;
import org.substra.node.orchestrator.protocol.UpdateFunctionResponse;
import org.substra.node.orchestrator.storage.Page;

/** {@code orchestrator.FunctionService}. */
@GrpcService
public class FunctionGrpcService implements org.substra.node.orchestrator.protocol.FunctionService {

  private final FunctionService functions;

  FunctionGrpcService(FunctionService functions) {
    this.functions = functions;
  }

  @Override
  public Uni<Function> registerFunction(NewFunction request) {
    return functions.register(Caller.current(), request);
  }

  @Override
  public Uni<Function> getFunction(GetFunctionParam request) {
    return functions.get(Caller.current(), request.getKey());
  }

  @Override
  public Uni<QueryFunctionsResponse> queryFunctions(QueryFunctionsParam request) {
    Caller caller = Caller.current();
    return Page.serve(
        request.getPageToken(),
        request.getPageSize(),
        page -> functions.query(caller, request.getFilter().getComputePlanKey(), page),
        (found, next) ->
            QueryFunctionsResponse.newBuilder()
                .addAllFunctions(found)
                .setNextPageToken(next)
                .build());
  }

  @Override
  public Uni<UpdateFunctionResponse> updateFunction(UpdateFunctionParam request) {
    return functions
        .update(Caller.current(), request.getKey(), request.getName(), request.getImage())
        .replaceWith(UpdateFunctionResponse.getDefaultInstance());
  }

  @Override
  public Uni<ApplyFunctionActionResponse> applyFunctionAction(ApplyFunctionActionParam request) {
    return functions
        .applyAction(Caller.current(), request.getFunctionKey(), request.getAction())
        .replaceWith(ApplyFunctionActionResponse.getDefaultInstance());
  }
}
