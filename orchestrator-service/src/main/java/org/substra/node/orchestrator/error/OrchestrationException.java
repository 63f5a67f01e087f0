package org.substra.node.orchestrator.error;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * A business-rule failure. It is the gRPC status itself (its kind's code, message "OExxxx: ..."),
 * so it reaches the client unchanged from wherever a service method raises it.
 */
public class OrchestrationException extends StatusRuntimeException {

  private final ErrorKind kind;

  public OrchestrationException(ErrorKind kind, String message) {
    super(Status.fromCode(kind.grpcCode()).withDescription(kind.code() + ": " + message), null);
    this.kind = kind;
  }

  public ErrorKind kind() {
    return kind;
  }

  public static OrchestrationException notFound(String resource, String key) {
    return new OrchestrationException(
        ErrorKind.NOT_FOUND, resource + " with key \"" + key + "\" not found");
  }

  public static OrchestrationException conflict(String resource, String key) {
    return new OrchestrationException(
        ErrorKind.CONFLICT, resource + " with key \"" + key + "\" already exists");
  }

  public static OrchestrationException invalid(String resource, String details) {
    return new OrchestrationException(
        ErrorKind.INVALID_ASSET, resource + " is not valid: " + details);
  }

  public static OrchestrationException badRequest(String message) {
    return new OrchestrationException(ErrorKind.BAD_REQUEST, message);
  }

  public static OrchestrationException permissionDenied(String message) {
    return new OrchestrationException(ErrorKind.PERMISSION_DENIED, message);
  }

  /** What the reference answers for a refused state-machine transition: UNKNOWN, fixed text. */
  public static StatusRuntimeException illegalTransition(String transition, String state) {
    return Status.UNKNOWN
        .withDescription("event " + transition + " inappropriate in current state " + state)
        .asRuntimeException();
  }
}
