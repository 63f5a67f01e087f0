package org.substra.node.api.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The body of an announced put, as the HTTP client subscribes to it. */
class StreamingBodyTest {

  /** Takes what is demanded, records it, and demands more only when told. */
  private static final class Client implements Flow.Subscriber<ByteBuffer> {
    final ByteArrayOutputStream received = new ByteArrayOutputStream();
    final CompletableFuture<Void> done = new CompletableFuture<>();
    Flow.Subscription subscription;

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      this.subscription = subscription;
    }

    @Override
    public void onNext(ByteBuffer chunk) {
      byte[] bytes = new byte[chunk.remaining()];
      chunk.get(bytes);
      received.writeBytes(bytes);
    }

    @Override
    public void onError(Throwable throwable) {
      done.completeExceptionally(throwable);
    }

    @Override
    public void onComplete() {
      done.complete(null);
    }
  }

  private static ByteBuffer text(String text) {
    return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void sendsWhatWasOfferedInOrderAsItIsDemandedThenCompletes() throws IOException {
    StreamingBody body = new StreamingBody(4);
    body.offer(text("one "));
    body.offer(text("two "));
    Client client = new Client();
    body.subscribe(client);
    assertThat(client.received.size()).isZero();

    client.subscription.request(1);
    assertThat(client.received.toString(StandardCharsets.UTF_8)).isEqualTo("one ");
    body.offer(text("three"));
    body.complete();
    assertThat(client.done).isNotDone();
    client.subscription.request(Long.MAX_VALUE);

    assertThat(client.received.toString(StandardCharsets.UTF_8)).isEqualTo("one two three");
    assertThat(client.done).isCompleted();
  }

  @Test
  void aWriterAheadOfAFullBodyWaitsThenFailsOnceTheClientGivesUp() throws Exception {
    StreamingBody body = new StreamingBody(1);
    Client client = new Client();
    body.subscribe(client);
    body.offer(text("queued"));

    CompletableFuture<Void> writer =
        CompletableFuture.runAsync(
            () -> {
              try {
                body.offer(text("blocked"));
              } catch (IOException e) {
                throw new CompletionException(e);
              }
            });
    client.subscription.cancel();

    assertThatThrownBy(() -> writer.get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(IOException.class)
        .hasMessageContaining("stopped receiving");
    assertThatThrownBy(() -> body.offer(text("later"))).isInstanceOf(IOException.class);
  }

  @Test
  void aFailureReachesTheClientInsteadOfTheRestOfTheBody() throws IOException {
    StreamingBody body = new StreamingBody(4);
    Client client = new Client();
    body.subscribe(client);
    body.offer(text("never sent"));
    IOException cause = new IOException("the upload was refused");

    body.fail(cause);
    client.subscription.request(10);

    assertThat(client.received.size()).isZero();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    client.done.whenComplete((ok, error) -> failure.set(error));
    assertThat(failure.get()).isSameAs(cause);
  }

  @Test
  void aSecondSubscriberIsRefused() {
    StreamingBody body = new StreamingBody(4);
    body.subscribe(new Client());
    Client second = new Client();

    body.subscribe(second);

    assertThat(second.done).isCompletedExceptionally();
  }
}
