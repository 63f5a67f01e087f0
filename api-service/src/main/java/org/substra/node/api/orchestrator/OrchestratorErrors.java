package org.substra.node.api.orchestrator;

import io.grpc.StatusRuntimeException;
import org.substra.node.api.error.ApiException;

/** gRPC status → HTTP status, with the orchestrator's message as detail (REST spec §1.6). */
public final class OrchestratorErrors {

  private OrchestratorErrors() {}

  public static ApiException toApi(StatusRuntimeException failure) {
    String description = failure.getStatus().getDescription();
    String detail = description != null ? description : failure.getStatus().getCode().name();
    int status =
        switch (failure.getStatus().getCode()) {
          case INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE -> 400;
          case UNAUTHENTICATED -> 401;
          case PERMISSION_DENIED -> 403;
          case NOT_FOUND -> 404;
          // OE0109, an already terminated plan: the reference answers 500; the spec asks 400.
          case UNKNOWN -> detail.startsWith("OE0109") ? 400 : 500;
          case CANCELLED -> 408;
          case ALREADY_EXISTS, ABORTED -> 409;
          case RESOURCE_EXHAUSTED -> detail.contains("message larger than max") ? 413 : 429;
          case UNIMPLEMENTED -> 501;
          case UNAVAILABLE -> 503;
          case DEADLINE_EXCEEDED -> 504;
          default -> 500;
        };
    if (status == 503) {
      detail = "The orchestrator is unreachable: " + detail;
    }
    return ApiException.detail(status, detail);
  }
}
