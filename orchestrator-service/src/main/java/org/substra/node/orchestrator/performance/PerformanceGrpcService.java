package org.substra.node.orchestrator.performance;

import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;
import org.substra.node.orchestrator.identity.Caller;
import org.substra.node.orchestrator.protocol.NewPerformance;
import org.substra.node.orchestrator.protocol.Performance;
import org.substra.node.orchestrator.protocol.QueryPerformancesParam;
import org.substra.node.orchestrator.protocol.QueryPerformancesResponse;
import org.substra.node.orchestrator.storage.Page;

/** {@code orchestrator.PerformanceService}. */
@GrpcService
public class PerformanceGrpcService
    implements org.substra.node.orchestrator.protocol.PerformanceService {

  private final PerformanceService performances;

  PerformanceGrpcService(PerformanceService performances) {
    this.performances = performances;
  }

  @Override
  public Uni<Performance> registerPerformance(NewPerformance request) {
    return performances.register(Caller.current(), request);
  }

  @Override
  public Uni<QueryPerformancesResponse> queryPerformances(QueryPerformancesParam request) {
    Caller caller = Caller.current();
    return Page.serve(
        request.getPageToken(),
        request.getPageSize(),
        page -> performances.query(caller, request.getFilter(), page),
        (found, next) ->
            QueryPerformancesResponse.newBuilder()
                .addAllPerformances(found)
                .setNextPageToken(next)
                .build());
  }
}
