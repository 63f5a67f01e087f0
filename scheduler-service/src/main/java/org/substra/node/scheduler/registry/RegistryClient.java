package org.substra.node.scheduler.registry;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Docker registry HTTP API v2 calls of the housekeeping (worker-spec §4.5): list a repository's
 * tags, resolve a tag to its manifest digest, delete a manifest by digest.
 */
@Singleton
public class RegistryClient {

  /** Both manifest kinds Kaniko may push; without them a registry answers a v1 digest. */
  static final String ACCEPT =
      "application/vnd.docker.distribution.manifest.v2+json,"
          + "application/vnd.oci.image.manifest.v1+json";

  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final Pattern NEXT = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?");

  private final RegistryConfig config;
  private final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(TIMEOUT)
          .followRedirects(HttpClient.Redirect.NORMAL)
          .build();

  RegistryClient(RegistryConfig config) {
    this.config = config;
  }

  /**
   * Every tag of {@code repository}, following the registry's pagination; none if it is unknown.
   */
  public List<String> tags(String repository) throws IOException, InterruptedException {
    List<String> tags = new ArrayList<>();
    String path = "/v2/" + repository + "/tags/list?n=1000";
    while (path != null) {
      HttpResponse<String> response = send(request(path).GET().build());
      if (response.statusCode() == 404) {
        return tags;
      }
      expect(response, 200, "tags of " + repository);
      JsonArray page = new JsonObject(response.body()).getJsonArray("tags");
      if (page != null) {
        page.forEach(tag -> tags.add((String) tag));
      }
      path = response.headers().firstValue("Link").map(RegistryClient::next).orElse(null);
    }
    return tags;
  }

  /** The digest of the manifest {@code tag} points to; empty when the tag is gone. */
  public Optional<String> digest(String repository, String tag)
      throws IOException, InterruptedException {
    HttpResponse<String> response =
        send(
            request("/v2/" + repository + "/manifests/" + tag)
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .header("Accept", ACCEPT)
                .build());
    if (response.statusCode() == 404) {
      return Optional.empty();
    }
    expect(response, 200, "manifest " + repository + ":" + tag);
    return response.headers().firstValue("Docker-Content-Digest");
  }

  /** Deletes the manifest {@code digest}, and with it every tag pointing to it. */
  public void delete(String repository, String digest) throws IOException, InterruptedException {
    HttpResponse<String> response =
        send(request("/v2/" + repository + "/manifests/" + digest).DELETE().build());
    if (response.statusCode() != 404) {
      expect(response, 202, "deletion of " + repository + "@" + digest);
    }
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(config.scheme() + "://" + config.address() + path))
        .timeout(TIMEOUT);
  }

  private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static void expect(HttpResponse<String> response, int status, String what)
      throws IOException {
    if (response.statusCode() != status) {
      throw new IOException(
          "registry answered " + response.statusCode() + " for " + what + ": " + response.body());
    }
  }

  private static String next(String link) {
    Matcher matcher = NEXT.matcher(link);
    return matcher.find() ? matcher.group(1) : null;
  }
}
