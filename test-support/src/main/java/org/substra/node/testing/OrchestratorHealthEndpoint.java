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
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.substra.node.orchestrator.protocol.InfoServiceGrpc;
import org.substra.node.orchestrator.protocol.Organization;
import org.substra.node.orchestrator.protocol.OrganizationServiceGrpc;
import org.substra.node.orchestrator.protocol.QueryVersionParam;
import org.substra.node.orchestrator.protocol.QueryVersionResponse;
import org.substra.node.orchestrator.protocol.RegisterOrganizationParam;
import org.substra.node.orchestrator.protocol.client.CallerIdentity;

/**
 * A real gRPC server on a free port that answers the standard health service with SERVING and
 * {@code orchestrator.InfoService/QueryVersion} with {@link #VERSION}, remembering the {@code
 * mspid} and {@code channel} headers of the last call.
 */
public final class OrchestratorHealthEndpoint implements AutoCloseable {

  public static final String VERSION = "1.0.0";

  private static final AtomicReference<Metadata> lastHeaders = new AtomicReference<>();
  private static final List<String> registrations = new CopyOnWriteArrayList<>();

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
              .addService(ServerInterceptors.intercept(new Organizations(), remember))
              .build()
              .start());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The organizations registered so far, as {@code mspid@channel=address}. */
  public static List<String> registrations() {
    return List.copyOf(registrations);
  }

  /** The {@code mspid} header of the last QueryVersion call, or null. */
  public static String lastMspid() {
    Metadata headers = lastHeaders.get();
    return headers == null ? null : headers.get(CallerIdentity.MSPID);
  }

  /** The {@code channel} header of the last QueryVersion call, or null. */
  public static String lastChannel() {
    Metadata headers = lastHeaders.get();
    return headers == null ? null : headers.get(CallerIdentity.CHANNEL);
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

  private static final class Organizations
      extends OrganizationServiceGrpc.OrganizationServiceImplBase {
    @Override
    public void registerOrganization(
        RegisterOrganizationParam request, StreamObserver<Organization> response) {
      Metadata headers = lastHeaders.get();
      String mspid = headers.get(CallerIdentity.MSPID);
      String entry = mspid + "@" + headers.get(CallerIdentity.CHANNEL) + "=" + request.getAddress();
      if (registrations.contains(entry)) {
        response.onError(
            io.grpc.Status.ALREADY_EXISTS
                .withDescription("OE0006: organization with key \"" + mspid + "\" already exists")
                .asRuntimeException());
        return;
      }
      registrations.add(entry);
      response.onNext(
          Organization.newBuilder().setId(mspid).setAddress(request.getAddress()).build());
      response.onCompleted();
    }
  }
}
