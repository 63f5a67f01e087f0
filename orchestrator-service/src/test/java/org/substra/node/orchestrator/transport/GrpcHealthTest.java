package org.substra.node.orchestrator.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import grpc.health.v1.HealthGrpc;
import grpc.health.v1.HealthOuterClass.HealthCheckRequest;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse.ServingStatus;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.substra.node.testing.LocalDependencies;

/** The other services' readiness relies on this answer, over a plain gRPC channel. */
@QuarkusTest
@WithTestResource(
    value = LocalDependencies.class,
    initArgs = {
      @ResourceArg(name = "dependencies", value = "postgresql,rabbitmq"),
      @ResourceArg(name = "database", value = "orchestrator_test")
    })
class GrpcHealthTest {

  @ConfigProperty(name = "quarkus.grpc.server.test-port")
  int grpcPort;

  @Test
  void answersTheStandardHealthServiceWithoutIdentityHeaders() throws InterruptedException {
    ManagedChannel channel =
        ManagedChannelBuilder.forAddress("127.0.0.1", grpcPort).usePlaintext().build();
    try {
      ServingStatus status =
          HealthGrpc.newBlockingStub(channel)
              .withDeadlineAfter(5, TimeUnit.SECONDS)
              .check(HealthCheckRequest.getDefaultInstance())
              .getStatus();
      assertEquals(ServingStatus.SERVING, status);
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
