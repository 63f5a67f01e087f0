package org.substra.node.orchestrator.asset;

import com.google.protobuf.Message;
import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.enterprise.inject.spi.Prioritized;
import jakarta.inject.Singleton;
import org.substra.node.orchestrator.error.ErrorKind;

/**
 * Applies {@link TextFields} to every request message of every rpc, so no handler can forget it and
 * none repeats it: a refused text ends the call with INVALID_ARGUMENT ({@code OE0101: name: must
 * not contain control characters (U+0000)}) before the handler runs, so nothing is stored. Runs
 * after {@code IdentityInterceptor} (lower priority), so an unknown caller is still refused for who
 * it is first.
 */
@GlobalInterceptor
@Singleton
public class TextFieldInterceptor implements ServerInterceptor, Prioritized {

  @Override
  public int getPriority() {
    return -100;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    ClosingAware<Q, R> watched = new ClosingAware<>(call);
    return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(
        next.startCall(watched, headers)) {
      private boolean refused;

      @Override
      public void onMessage(Q message) {
        if (refused || watched.closed) {
          // Already answered (by this check, or by an interceptor that refused the caller).
          return;
        }
        String refusal = message instanceof Message proto ? TextFields.refusal(proto) : null;
        if (refusal != null) {
          refused = true;
          watched.close(
              Status.INVALID_ARGUMENT.withDescription(
                  ErrorKind.INVALID_ASSET.code() + ": " + refusal),
              new Metadata());
          return;
        }
        super.onMessage(message);
      }

      @Override
      public void onHalfClose() {
        if (!refused) {
          super.onHalfClose();
        }
      }
    };
  }

  /** Remembers whether the call was answered, so it is never closed twice. */
  private static final class ClosingAware<Q, R>
      extends ForwardingServerCall.SimpleForwardingServerCall<Q, R> {
    private volatile boolean closed;

    ClosingAware(ServerCall<Q, R> call) {
      super(call);
    }

    @Override
    public void close(Status status, Metadata trailers) {
      closed = true;
      super.close(status, trailers);
    }
  }
}
