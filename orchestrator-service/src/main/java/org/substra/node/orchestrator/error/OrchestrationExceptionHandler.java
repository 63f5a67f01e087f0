package org.substra.node.orchestrator.error;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.ExceptionHandler;
import io.quarkus.grpc.ExceptionHandlerProvider;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Statuses (business errors included, see {@link OrchestrationException}) pass unchanged. Anything
 * else is a bug or an infrastructure failure: logged, and sent as UNKNOWN with its text, as the Go
 * orchestrator does (the Substra backend retries UNKNOWN).
 */
@ApplicationScoped
public class OrchestrationExceptionHandler implements ExceptionHandlerProvider {

  private static final Logger LOG = Logger.getLogger(OrchestrationExceptionHandler.class);

  @Override
  public <A, B> ExceptionHandler<A, B> createHandler(
      ServerCall.Listener<A> listener, ServerCall<A, B> call, Metadata metadata) {
    return new ExceptionHandler<>(listener, call, metadata) {
      @Override
      protected void handleException(Throwable failure, ServerCall<A, B> serverCall, Metadata md) {
        StatusException status = toStatusException(failure);
        Metadata trailers = status.getTrailers();
        serverCall.close(status.getStatus(), trailers != null ? trailers : new Metadata());
      }
    };
  }

  @Override
  public Throwable transform(Throwable failure) {
    return toStatusException(failure);
  }

  private static StatusException toStatusException(Throwable failure) {
    Throwable cause = failure;
    while (cause.getCause() != null
        && !(cause instanceof StatusRuntimeException)
        && !(cause instanceof StatusException)) {
      cause = cause.getCause();
    }
    if (cause instanceof StatusRuntimeException status) {
      return status.getStatus().asException(status.getTrailers());
    }
    if (cause instanceof StatusException status) {
      return status;
    }
    LOG.error("rpc failed unexpectedly", failure);
    String message = cause.getMessage() != null ? cause.getMessage() : cause.toString();
    return Status.UNKNOWN.withDescription(message).asException();
  }
}
