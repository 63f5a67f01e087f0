package org.substra.node.orchestrator.transport;

import io.grpc.netty.NettyServerBuilder;
import io.quarkus.grpc.api.ServerBuilderCustomizer;
import io.quarkus.grpc.runtime.config.GrpcServerConfiguration;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.TimeUnit;
import org.substra.node.orchestrator.config.OrchestratorConfig;

/** Applies the keepalive policy of the reference orchestrator to our gRPC server. */
@ApplicationScoped
public class KeepaliveServerCustomizer implements ServerBuilderCustomizer<NettyServerBuilder> {

  private final OrchestratorConfig config;

  KeepaliveServerCustomizer(OrchestratorConfig config) {
    this.config = config;
  }

  @Override
  public void customize(GrpcServerConfiguration serverConfiguration, NettyServerBuilder builder) {
    builder
        .permitKeepAliveTime(config.keepalive().permitTime().toMillis(), TimeUnit.MILLISECONDS)
        .permitKeepAliveWithoutCalls(config.keepalive().permitWithoutCalls());
  }
}
