package org.substra.node.orchestrator.identity;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.inject.Singleton;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Reads the {@code mspid}, {@code channel} and {@code reqid} headers of every call (spec §2.1) and
 * refuses the call with the reference's status and message when they are missing or when the
 * organization is not a member of the channel. Health and reflection need no identity.
 */
@GlobalInterceptor
@Singleton
public class IdentityInterceptor implements ServerInterceptor {

  static final Metadata.Key<String> MSPID =
      Metadata.Key.of("mspid", Metadata.ASCII_STRING_MARSHALLER);
  static final Metadata.Key<String> CHANNEL =
      Metadata.Key.of("channel", Metadata.ASCII_STRING_MARSHALLER);
  static final Metadata.Key<String> REQID =
      Metadata.Key.of("reqid", Metadata.ASCII_STRING_MARSHALLER);

  private final ChannelMembership membership;
  private final ClientIdentityCheck clientIdentity;

  IdentityInterceptor(ChannelMembership membership, ClientIdentityCheck clientIdentity) {
    this.membership = membership;
    this.clientIdentity = clientIdentity;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    String service = call.getMethodDescriptor().getServiceName();
    if (service != null
        && (service.startsWith("grpc.health.") || service.startsWith("grpc.reflection."))) {
      return next.startCall(call, headers);
    }
    String organization = single(headers, MSPID);
    if (organization == null) {
      return refuse(
          call,
          Status.FAILED_PRECONDITION.withDescription("OE0003: missing or invalid header 'mspid'"));
    }
    Status impostor = clientIdentity.refusal(call, organization);
    if (impostor != null) {
      return refuse(call, impostor);
    }
    String channel = single(headers, CHANNEL);
    if (channel == null) {
      return refuse(call, Status.UNKNOWN.withDescription("missing or invalid header 'channel'"));
    }
    Status refusal = membership.refusal(organization, channel);
    if (refusal != null) {
      return refuse(call, refusal);
    }
    String requestId = single(headers, REQID);
    Caller caller =
        new Caller(organization, channel, requestId != null ? requestId : newRequestId());
    return Contexts.interceptCall(
        Context.current().withValue(Caller.KEY, caller), call, headers, next);
  }

  private static String single(Metadata headers, Metadata.Key<String> key) {
    Iterable<String> values = headers.getAll(key);
    if (values == null) {
      return null;
    }
    String found = null;
    for (String value : values) {
      if (found != null) {
        return null;
      }
      found = value;
    }
    return found == null || found.isEmpty() ? null : found;
  }

  private static String newRequestId() {
    byte[] bytes = new byte[4];
    ThreadLocalRandom.current().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  private static <Q, R> ServerCall.Listener<Q> refuse(ServerCall<Q, R> call, Status status) {
    call.close(status, new Metadata());
    return new ServerCall.Listener<>() {};
  }
}
