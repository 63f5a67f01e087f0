package org.substra.node.health.orchestrator;

import grpc.health.v1.HealthGrpc;
import grpc.health.v1.HealthOuterClass.HealthCheckRequest;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse.ServingStatus;
import io.grpc.Channel;
import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.grpc.GrpcClient;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.Readiness;
import org.substra.node.health.BlockingDependencyCheck;
import org.substra.node.health.HealthConfig;

/**
 * Asks the orchestrator's standard gRPC health service; it needs no mspid/channel headers, so the
 * check says whether the channel works, independently of this node's identity.
 */
@Readiness
@Singleton
@IfBuildProperty(name = "node.health.orchestrator.enabled", stringValue = "true")
public class OrchestratorReadinessCheck extends BlockingDependencyCheck {

  private final Channel channel;
  private final HealthConfig health;
  private final String address;

  OrchestratorReadinessCheck(
      @GrpcClient("orchestrator") Channel channel,
      HealthConfig health,
      @ConfigProperty(name = "quarkus.grpc.clients.orchestrator.host", defaultValue = "localhost")
          String host,
      @ConfigProperty(name = "quarkus.grpc.clients.orchestrator.port", defaultValue = "9000")
          int port) {
    super(health);
    this.channel = channel;
    this.health = health;
    this.address = host + ":" + port;
  }

  @Override
  protected String dependency() {
    return "Orchestrator";
  }

  @Override
  protected String address() {
    return address;
  }

  @Override
  protected Map<String, String> probe() {
    ServingStatus status =
        HealthGrpc.newBlockingStub(channel)
            .withDeadlineAfter(health.timeout().toMillis(), TimeUnit.MILLISECONDS)
            .check(HealthCheckRequest.getDefaultInstance())
            .getStatus();
    if (status != ServingStatus.SERVING) {
      throw new IllegalStateException("the orchestrator reports " + status);
    }
    return Map.of("status", status.name());
  }
}
