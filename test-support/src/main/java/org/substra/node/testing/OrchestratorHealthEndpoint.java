package org.substra.node.testing;

import grpc.health.v1.HealthGrpc;
import grpc.health.v1.HealthOuterClass.HealthCheckRequest;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse.ServingStatus;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.substra.node.orchestrator.protocol.InfoServiceGrpc;
import org.substra.node.orchestrator.protocol.QueryVersionParam;
import org.substra.node.orchestrator.protocol.QueryVersionResponse;

/**
 * A real gRPC server on a free port that answers the standard health service with SERVING and
 * {@code orchestrator.InfoService/QueryVersion} with {@link #VERSION}, remembering the {@code
 * mspid} and {@code channel} headers of the last call.
 */
public final class OrchestratorHealthEndpoint implements AutoCloseable {

  public static final String VERSION = "1.0.0";

  private static final Metadata.Key<String> MSPID =
      Metadata.Key.of("mspid", Metadata.ASCII_STRING_MARSHALLER);
  private static final Metadata.Key<String> CHANNEL =
      Metadata.Key.of("channel", Metadata.ASCII_STRING_MARSHALLER);

  private static final AtomicReference<Metadata> lastHeaders = new AtomicReference<>();

  private final Server server;

  private OrchestratorHealthEndpoint(Server server) {
    this.server = server;
  }

  public static OrchestratorHealthEndpoint start() {
    ServerInterceptor remember =
        new ServerInterceptor() {
          @Override
          public <Q, R> ServerCall.Listener<Q> interceptCall(
              ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
            lastHeaders.set(headers);
            return next.startCall(call, headers);
          }
        };
    try {
      return new OrchestratorHealthEndpoint(
          ServerBuilder.forPort(0)
              .addService(new Serving())
              .addService(ServerInterceptors.intercept(new Info(), remember))
              .build()
              .start());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The {@code mspid} header of the last QueryVersion call, or null. */
  public static String lastMspid() {
    Metadata headers = lastHeaders.get();
    return headers == null ? null : headers.get(MSPID);
  }

  /** The {@code channel} header of the last QueryVersion call, or null. */
  public static String lastChannel() {
    Metadata headers = lastHeaders.get();
    return headers == null ? null : headers.get(CHANNEL);
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

  private static final class Info extends InfoServiceGrpc.InfoServiceImplBase {
    @Override
    public void queryVersion(
        QueryVersionParam request, StreamObserver<QueryVersionResponse> response) {
      response.onNext(QueryVersionResponse.newBuilder().setOrchestrator(VERSION).build());
      response.onCompleted();
    }
  }
}
