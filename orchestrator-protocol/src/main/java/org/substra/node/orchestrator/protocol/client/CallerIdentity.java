package org.substra.node.orchestrator.protocol.client;

import io.grpc.Metadata;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;

/**
 * Who calls the orchestrator: every call names the organization ({@code mspid}) and the channel it
 * acts in as request headers, which is how Substra's orchestrator 1.0 knows its callers.
 */
public final class CallerIdentity {

  public static final Metadata.Key<String> MSPID =
      Metadata.Key.of("mspid", Metadata.ASCII_STRING_MARSHALLER);
  public static final Metadata.Key<String> CHANNEL =
      Metadata.Key.of("channel", Metadata.ASCII_STRING_MARSHALLER);

  private CallerIdentity() {}

  /** The headers of a call made as {@code mspId} in {@code channel}. */
  public static Metadata headers(String mspId, String channel) {
    Metadata headers = new Metadata();
    headers.put(MSPID, mspId);
    headers.put(CHANNEL, channel);
    return headers;
  }

  /** {@code stub}, its calls made as {@code mspId} in {@code channel}. */
  public static <S extends AbstractStub<S>> S as(S stub, String mspId, String channel) {
    return stub.withInterceptors(
        MetadataUtils.newAttachHeadersInterceptor(headers(mspId, channel)));
  }
}
