package org.substra.node.orchestrator;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.ConfigProvider;

/** A plain gRPC channel to the orchestrator under test, as an external client would open it. */
public final class OrchestratorChannel implements AutoCloseable {

  private final ManagedChannel channel;

  public OrchestratorChannel() {
    int port = ConfigProvider.getConfig().getValue("quarkus.grpc.server.test-port", Integer.class);
    channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
  }

  public ManagedChannel channel() {
    return channel;
  }

  /** {@code stub} sending the headers a Substra backend sends. */
  public static <S extends AbstractStub<S>> S as(S stub, String mspid, String channelName) {
    Metadata headers = new Metadata();
    if (mspid != null) {
      headers.put(Metadata.Key.of("mspid", Metadata.ASCII_STRING_MARSHALLER), mspid);
    }
    if (channelName != null) {
      headers.put(Metadata.Key.of("channel", Metadata.ASCII_STRING_MARSHALLER), channelName);
    }
    return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
        .withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }
}
