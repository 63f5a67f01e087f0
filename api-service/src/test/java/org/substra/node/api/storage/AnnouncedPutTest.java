package org.substra.node.api.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.minio.MinioClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.substra.node.api.error.ApiException;

/**
 * An announced put against a store stand-in that records what it receives, or gives up half-way:
 * the put must carry the announced length, and a store that fails it must not leave the writer
 * waiting.
 */
class AnnouncedPutTest {

  private HttpServer server;
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private volatile byte[] received;
  private volatile boolean failHalfWay;
  private ObjectStorage storage;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.start();
    String endpoint = "http://127.0.0.1:" + server.getAddress().getPort();
    MultipartUploads uploads =
        new MultipartUploads(endpoint, Optional.empty(), false, "key", "secret", "us-east-1");
    MinioClient client =
        MinioClient.builder()
            .endpoint(endpoint)
            .region("us-east-1")
            .credentials("key", "secret")
            .build();
    storage = new ObjectStorage(client, uploads);
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    requests.add(
        exchange.getRequestMethod()
            + " "
            + exchange.getRequestURI()
            + " "
            + exchange.getRequestHeaders().getFirst("Content-Length"));
    try (InputStream body = exchange.getRequestBody()) {
      if (failHalfWay && "PUT".equals(exchange.getRequestMethod())) {
        body.readNBytes(1024 * 1024);
        exchange.sendResponseHeaders(500, -1);
        return;
      }
      byte[] bytes = body.readAllBytes();
      // A body cut short is what a store drops: only a whole one counts as received.
      String announced = exchange.getRequestHeaders().getFirst("Content-Length");
      if ("PUT".equals(exchange.getRequestMethod())
          && announced != null
          && Long.parseLong(announced) == bytes.length) {
        received = bytes;
      }
      exchange.sendResponseHeaders(200, -1);
    } finally {
      exchange.close();
    }
  }

  private static byte[] content(int length) {
    byte[] content = new byte[length];
    new Random(5).nextBytes(content);
    return content;
  }

  @Test
  void oneRequestOfTheAnnouncedLengthCarriesTheContent() throws IOException {
    byte[] content = content(7 * 1024 * 1024 + 3);

    ObjectStorage.Uploaded uploaded =
        storage.upload("bucket", "object", new ByteArrayInputStream(content), content.length);

    assertThat(uploaded).isEqualTo(new ObjectStorage.Uploaded(content.length, false));
    assertThat(requests).containsExactly("PUT /bucket/object " + content.length);
    assertThat(received).isEqualTo(content);
  }

  @Test
  void aStoreThatGivesUpHalfWayIsUnavailableAndTheWriterDoesNotWait() {
    failHalfWay = true;
    byte[] content = content(12 * 1024 * 1024);

    ApiException refused =
        assertTimeoutPreemptively(
            Duration.ofSeconds(30),
            () ->
                assertThrows(
                    ApiException.class,
                    () ->
                        storage.upload(
                            "bucket",
                            "object",
                            new ByteArrayInputStream(content),
                            content.length)));

    assertThat(refused.status()).isEqualTo(503);
    // What the store may have kept is removed.
    assertThat(requests).last().asString().startsWith("DELETE /bucket/object");
  }

  @Test
  void contentFailingMidWayIsThrownAsItIsAndNothingStays() {
    InputStream failing =
        new InputStream() {
          private int left = 6 * 1024 * 1024;

          @Override
          public int read() throws IOException {
            if (left-- == 0) {
              throw new IOException("the client went away");
            }
            return 1;
          }
        };

    assertThatThrownBy(() -> storage.upload("bucket", "object", failing, 8 * 1024 * 1024))
        .isInstanceOf(IOException.class)
        .hasMessage("the client went away");
    assertThat(requests).last().asString().startsWith("DELETE /bucket/object");
    assertThat(received).isNull();
  }
}
