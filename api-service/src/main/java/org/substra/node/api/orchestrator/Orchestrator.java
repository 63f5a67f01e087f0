package org.substra.node.api.orchestrator;

import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.grpc.GrpcClientUtils;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.substra.node.api.config.ApiConfig;
import org.substra.node.orchestrator.protocol.InfoService;
import org.substra.node.orchestrator.protocol.QueryVersionParam;

/**
 * The orchestrator as this node calls it: as its organization, in one of its channels (the {@code
 * mspid} and {@code channel} headers), with failures turned into HTTP answers.
 */
@ApplicationScoped
public class Orchestrator {

  private static final Metadata.Key<String> MSPID =
      Metadata.Key.of("mspid", Metadata.ASCII_STRING_MARSHALLER);
  private static final Metadata.Key<String> CHANNEL =
      Metadata.Key.of("channel", Metadata.ASCII_STRING_MARSHALLER);

  private final InfoService info;
  private final ApiConfig config;

  Orchestrator(@GrpcClient("orchestrator") InfoService info, ApiConfig config) {
    this.info = info;
    this.config = config;
  }

  public Uni<String> version(String channel) {
    return GrpcClientUtils.attachHeaders(info, headers(channel))
        .queryVersion(QueryVersionParam.getDefaultInstance())
        .map(response -> response.getOrchestrator())
        .onFailure(StatusRuntimeException.class)
        .transform(failure -> OrchestratorErrors.toApi((StatusRuntimeException) failure));
  }

  private Metadata headers(String channel) {
    Metadata headers = new Metadata();
    headers.put(MSPID, config.organizationId());
    headers.put(CHANNEL, channel);
    return headers;
  }
}
