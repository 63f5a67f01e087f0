package org.substra.node.orchestrator.info;

import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;
import org.substra.node.orchestrator.config.OrchestratorConfig;
import org.substra.node.orchestrator.protocol.InfoService;
import org.substra.node.orchestrator.protocol.QueryVersionParam;
import org.substra.node.orchestrator.protocol.QueryVersionResponse;

/** {@code orchestrator.InfoService}: the version the backend shows in {@code /info/}. */
@GrpcService
public class InfoGrpcService implements InfoService {

  private final QueryVersionResponse version;

  InfoGrpcService(OrchestratorConfig config) {
    this.version = QueryVersionResponse.newBuilder().setOrchestrator(config.version()).build();
  }

  @Override
  public Uni<QueryVersionResponse> queryVersion(QueryVersionParam request) {
    return Uni.createFrom().item(version);
  }
}
