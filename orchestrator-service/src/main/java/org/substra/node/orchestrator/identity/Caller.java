package org.substra.node.orchestrator.identity;

import io.grpc.Context;

/**
 * Who calls: the organization id from the {@code mspid} header (it becomes {@code owner}, is
 * compared with {@code worker}, ...) and the channel the call works in.
 */
public record Caller(String organization, String channel, String requestId) {

  static final Context.Key<Caller> KEY = Context.key("orchestrator-caller");

  /** The caller of the gRPC call being served. */
  public static Caller current() {
    Caller caller = KEY.get();
    if (caller == null) {
      throw new IllegalStateException("no caller: the identity interceptor did not run");
    }
    return caller;
  }
}
