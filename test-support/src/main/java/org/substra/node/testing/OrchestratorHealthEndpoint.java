package org.substra.node.testing;

import grpc.health.v1.HealthGrpc;
import grpc.health.v1.HealthOuterClass.HealthCheckRequest;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse.ServingStatus;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;

/** A real gRPC server on a free port that answers the standard health service with SERVING. */
public final class OrchestratorHealthEndpoint implements AutoCloseable {

  private final Server server;

  private OrchestratorHealthEndpoint(Server server) {
    this.server = server;
  }

  public static OrchestratorHealthEndpoint start() {
    try {
      return new OrchestratorHealthEndpoint(
          ServerBuilder.forPort(0).addService(new Serving()).build().start());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int port() {
    return server.getPort();
  }

  @Override
  public void close() {
    server.shutdownNow();
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static final class Serving extends HealthGrpc.HealthImplBase {
    @Override
    public void check(HealthCheckRequest request, StreamObserver<HealthCheckResponse> response) {
      response.onNext(HealthCheckResponse.newBuilder().setStatus(ServingStatus.SERVING).build());
      response.onCompleted();
    }
  }
}
