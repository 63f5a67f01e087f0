package org.substra.node.api.orchestrator;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.grpc.GrpcClientUtils;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.substra.node.api.config.ApiConfig;
import org.substra.node.orchestrator.protocol.InfoService;
import org.substra.node.orchestrator.protocol.OrganizationService;
import org.substra.node.orchestrator.protocol.QueryVersionParam;
import org.substra.node.orchestrator.protocol.RegisterOrganizationParam;

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
  private final OrganizationService organizations;
  private final ApiConfig config;

  Orchestrator(
      @GrpcClient("orchestrator") InfoService info,
      @GrpcClient("orchestrator") OrganizationService organizations,
      ApiConfig config) {
    this.info = info;
    this.organizations = organizations;
    this.config = config;
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
    Metadata headers = new Metadata();
    headers.put(MSPID, config.organizationId());
    headers.put(CHANNEL, channel);
    return headers;
  }
}
