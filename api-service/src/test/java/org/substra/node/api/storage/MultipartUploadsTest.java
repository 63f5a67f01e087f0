package org.substra.node.api.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class MultipartUploadsTest {

  @Test
  void wrappingPublishesTheContentInPlaceOneDemandAtATime() {
    byte[] content = new byte[200_000];
    for (int i = 0; i < content.length; i++) {
      content[i] = (byte) (i * 31);
    }
    int length = 150_001;
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    AtomicBoolean completed = new AtomicBoolean();

    // Requests the next slice from onNext, as the HTTP client does.
    MultipartUploads.wrapping(content, length)
        .subscribe(
            new Flow.Subscriber<>() {
              private Flow.Subscription subscription;

              @Override
              public void onSubscribe(Flow.Subscription subscription) {
                this.subscription = subscription;
                subscription.request(1);
              }

              @Override
              public void onNext(ByteBuffer slice) {
                assertThat(slice.hasArray() && slice.array() == content).isTrue();
                byte[] bytes = new byte[slice.remaining()];
                slice.get(bytes);
                received.writeBytes(bytes);
                subscription.request(1);
              }

              @Override
              public void onError(Throwable throwable) {
                throw new AssertionError(throwable);
              }

              @Override
              public void onComplete() {
                completed.set(true);
              }
            });

    assertThat(completed).isTrue();
    byte[] expected = new byte[length];
    System.arraycopy(content, 0, expected, 0, length);
    assertThat(received.toByteArray()).isEqualTo(expected);
    assertThat(MultipartUploads.wrapping(content, length).contentLength()).isEqualTo(length);
  }

  @Test
  void takesTheEndpointAsTheMinioClientDoes() {
    assertThat(MultipartUploads.endpoint("http://127.0.0.1:9100", Optional.empty(), false))
        .isEqualTo(URI.create("http://127.0.0.1:9100"));
    assertThat(MultipartUploads.endpoint("org1-minio", Optional.of(9000), false))
        .isEqualTo(URI.create("http://org1-minio:9000"));
    assertThat(MultipartUploads.endpoint("s3.example.com", Optional.empty(), true))
        .isEqualTo(URI.create("https://s3.example.com"));
  }
}
