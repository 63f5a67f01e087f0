package org.substra.node.compute.storage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import org.substra.node.compute.config.ComputeConfig;

/**
 * Files of assets other organizations own, fetched through this node's own api-service, which
 * relays them from the owner with the outgoing credentials (worker-spec §6.2; api-service README
 * "files of other owners"). This service calls as its organization: Basic with its MSP ID and the
 * self secret, the channel header and no {@code Substra-Proxy-Asset}, so the owner checks the
 * process permission of a task input. Going through api-service keeps the outgoing secrets and the
 * peers' addresses in one place; compute-service needs no database.
 */
@ApplicationScoped
public class RelayedFiles {

  private final String apiUrl;
  private final String mspId;
  private final Optional<String> selfSecret;
  private final String channel;
  private final Duration timeout;
  private final HttpClient http;

  // Two constructors: the container needs to be told which one is its own.
  @Inject
  RelayedFiles(ComputeConfig config) {
    this(
        config.apiUrl(),
        config.mspId(),
        config.orgLink().selfSecret(),
        config.orgLink().channel(),
        config.orgLink().timeout());
  }

  RelayedFiles(
      String apiUrl, String mspId, Optional<String> selfSecret, String channel, Duration timeout) {
    this.apiUrl = apiUrl;
    this.mspId = mspId;
    this.selfSecret = selfSecret;
    this.channel = channel;
    this.timeout = timeout;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /** {@code path} of an asset {@code owner} keeps, written to {@code destination}. */
  public void fetch(String owner, String path, Path destination) throws IOException {
    String secret =
        selfSecret
            .filter(value -> !value.isBlank())
            .orElseThrow(
                () ->
                    new IOException(
                        "the asset "
                            + path
                            + " belongs to "
                            + owner
                            + " and compute.org-link.self-secret is not set, so it cannot be"
                            + " fetched"));
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(apiUrl.replaceAll("/+$", "") + path))
            .timeout(timeout)
            .header(
                "Authorization",
                "Basic "
                    + Base64.getEncoder()
                        .encodeToString((mspId + ":" + secret).getBytes(StandardCharsets.UTF_8)))
            .header("Accept", "application/json;version=0.0")
            .header("Substra-Channel-Name", channel)
            .GET()
            .build();
    HttpResponse<InputStream> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while fetching " + path, e);
    }
    try (InputStream body = response.body()) {
      if (response.statusCode() != 200) {
        String detail = new String(body.readNBytes(500), StandardCharsets.UTF_8);
        throw new IOException(
            "fetching "
                + path
                + " of "
                + owner
                + " answered "
                + response.statusCode()
                + ": "
                + detail);
      }
      Files.createDirectories(destination.toAbsolutePath().getParent());
      Files.copy(body, destination, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
