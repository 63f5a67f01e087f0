package org.substra.node.compute.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fetching another organization's asset through this node's api-service: as the organization (Basic
 * with the self secret), with the channel and without the proxy mark.
 */
class RelayedFilesTest {

  @TempDir Path dir;
  HttpServer api;
  final Map<String, String> seen = new ConcurrentHashMap<>();

  @BeforeEach
  void api() throws IOException {
    api = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    String expected =
        "Basic "
            + Base64.getEncoder()
                .encodeToString("MyOrg2MSP:self-secret".getBytes(StandardCharsets.UTF_8));
    api.createContext(
        "/",
        exchange -> {
          exchange
              .getRequestHeaders()
              .forEach((name, values) -> seen.put(name.toLowerCase(), values.get(0)));
          seen.put("path", exchange.getRequestURI().getPath());
          boolean ok = expected.equals(exchange.getRequestHeaders().getFirst("Authorization"));
          byte[] body =
              (ok ? "org-1 model weights" : "{\"detail\": \"Invalid username/password.\"}")
                  .getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(ok ? 200 : 401, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    api.start();
  }

  @AfterEach
  void stop() {
    api.stop(0);
  }

  private RelayedFiles files(Optional<String> secret) {
    return new RelayedFiles(
        "http://127.0.0.1:" + api.getAddress().getPort() + "/",
        "MyOrg2MSP",
        secret,
        "our-channel",
        Duration.ofSeconds(5));
  }

  @Test
  void writesTheOwnersFileFetchedAsThisOrganization() throws Exception {
    Path model = dir.resolve("cache/model");
    files(Optional.of("self-secret")).fetch("MyOrg1MSP", "/model/k/file/", model);

    assertThat(model).hasContent("org-1 model weights");
    assertThat(seen)
        .containsEntry("path", "/model/k/file/")
        .containsEntry("substra-channel-name", "our-channel")
        .containsEntry("accept", "application/json;version=0.0")
        .doesNotContainKey("substra-proxy-asset");
  }

  @Test
  void aRefusalIsAnErrorAndWritesNothing() {
    Path model = dir.resolve("model");
    assertThatThrownBy(
            () -> files(Optional.of("stale")).fetch("MyOrg1MSP", "/model/k/file/", model))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("answered 401");
    assertThat(Files.exists(model)).isFalse();
  }

  @Test
  void withoutTheSelfSecretTheErrorSaysWhatToSet() {
    assertThatThrownBy(
            () -> files(Optional.empty()).fetch("MyOrg1MSP", "/model/k/file/", dir.resolve("m")))
        .hasMessageContaining("compute.org-link.self-secret");
  }
}
