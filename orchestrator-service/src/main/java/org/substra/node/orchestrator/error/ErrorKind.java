package org.substra.node.orchestrator.error;

import io.grpc.Status;

/**
 * The reference's error kinds (spec §2.5) and the gRPC codes they travel with. Some map to UNKNOWN
 * on purpose: the Substra backend retries UNKNOWN and reads those codes, so they stay as they are.
 */
public enum ErrorKind {
  NOT_FOUND("OE0002", Status.Code.NOT_FOUND),
  BAD_REQUEST("OE0003", Status.Code.FAILED_PRECONDITION),
  CONFLICT("OE0006", Status.Code.ALREADY_EXISTS),
  INTERNAL("OE0007", Status.Code.INTERNAL),
  UNIMPLEMENTED("OE0010", Status.Code.UNIMPLEMENTED),
  INVALID_ASSET("OE0101", Status.Code.INVALID_ARGUMENT),
  PERMISSION_DENIED("OE0102", Status.Code.PERMISSION_DENIED),
  MISSING_TASK_OUTPUT("OE0106", Status.Code.INVALID_ARGUMENT),
  INCOMPATIBLE_KIND("OE0107", Status.Code.INVALID_ARGUMENT),
  CANNOT_DISABLE_OUTPUT("OE0108", Status.Code.UNKNOWN),
  TERMINATED_COMPUTE_PLAN("OE0109", Status.Code.UNKNOWN),
  TERMINATED_COMPUTE_TASK("OE0110", Status.Code.UNKNOWN);

  private final String code;
  private final Status.Code grpcCode;

  ErrorKind(String code, Status.Code grpcCode) {
    this.code = code;
    this.grpcCode = grpcCode;
  }

  public String code() {
    return code;
  }

  public Status.Code grpcCode() {
    return grpcCode;
  }
}
