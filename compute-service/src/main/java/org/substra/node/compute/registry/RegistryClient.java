package org.substra.node.compute.registry;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.substra.node.compute.config.RegistryConfig;

/**
 * The Docker registry HTTP API v2 calls of the Kubernetes executor (worker-spec §4.5): whether a
 * function image exists, and the command its image config gives. Anonymous, or with the credentials
 * the mounted Docker config holds for the registry: Basic, or a Bearer token when the registry
 * answers with a token challenge (Harbor, distribution with token auth).
 */
public class RegistryClient {

  /** Both manifest kinds Kaniko may push; without them a registry answers a v1 manifest. */
  static final String ACCEPT =
      "application/vnd.docker.distribution.manifest.v2+json,"
          + "application/vnd.oci.image.manifest.v1+json";

  private static final Pattern CHALLENGE_PARAMETER = Pattern.compile("(\\w+)=\"([^\"]*)\"");

  private final RegistryConfig config;
  private final Optional<String> basic;
  private final HttpClient http;
  private volatile String bearer;

  public RegistryClient(RegistryConfig config) {
    this.config = config;
    this.basic = DockerConfigs.basicAuth(config.dockerConfig(), config.address());
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(config.timeout())
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
  }

  /** The registry refuses to serve an image yet (Harbor: not scanned, or failing a CVE policy). */
  public static class PreconditionFailed extends IOException {
    PreconditionFailed(String message) {
      super(message);
    }
  }

  /** Whether {@code tag} of the function image repository exists. */
  public boolean exists(String tag) throws IOException, InterruptedException {
    HttpResponse<String> response =
        send("HEAD", manifestPath(tag), HttpRequest.BodyPublishers.noBody());
    return switch (response.statusCode()) {
      case 200 -> true;
      case 404 -> false;
      default -> throw unexpected(response, "manifest " + tag);
    };
  }

  /**
   * How Docker would run image {@code tag}: its config's {@code Entrypoint} then {@code Cmd}, in
   * its {@code WorkingDir}; empty when the image does not exist.
   */
  public Optional<ImageConfig> imageConfig(String tag) throws IOException, InterruptedException {
    HttpResponse<String> manifest =
        send("GET", manifestPath(tag), HttpRequest.BodyPublishers.noBody());
    if (manifest.statusCode() == 404) {
      return Optional.empty();
    }
    if (manifest.statusCode() != 200) {
      throw unexpected(manifest, "manifest " + tag);
    }
    String digest;
    try {
      digest = new JsonObject(manifest.body()).getJsonObject("config").getString("digest");
    } catch (DecodeException | ClassCastException | NullPointerException e) {
      throw new IOException("the manifest of " + tag + " has no config digest");
    }
    HttpResponse<String> blob =
        send(
            "GET",
            "/v2/" + config.userImageRepository() + "/blobs/" + digest,
            HttpRequest.BodyPublishers.noBody());
    if (blob.statusCode() != 200) {
      throw unexpected(blob, "config blob " + digest + " of " + tag);
    }
    try {
      JsonObject image = new JsonObject(blob.body()).getJsonObject("config", new JsonObject());
      List<String> command = new ArrayList<>();
      for (String field : new String[] {"Entrypoint", "Cmd"}) {
        JsonArray argv = image.getJsonArray(field);
        if (argv != null) {
          argv.forEach(token -> command.add((String) token));
        }
      }
      return Optional.of(new ImageConfig(command, image.getString("WorkingDir")));
    } catch (DecodeException | ClassCastException e) {
      throw new IOException("the image config of " + tag + " is not valid: " + e.getMessage());
    }
  }

  private String manifestPath(String tag) {
    return "/v2/" + config.userImageRepository() + "/manifests/" + tag;
  }

  private HttpResponse<String> send(String method, String path, HttpRequest.BodyPublisher body)
      throws IOException, InterruptedException {
    URI uri = URI.create(config.scheme() + "://" + config.address() + path);
    HttpResponse<String> response = send(request(uri, method, body, authorization()));
    if (response.statusCode() == 401) {
      Optional<String> challenge = response.headers().firstValue("WWW-Authenticate");
      if (challenge.isPresent() && challenge.get().regionMatches(true, 0, "Bearer ", 0, 7)) {
        bearer = token(challenge.get());
        response = send(request(uri, method, body, authorization()));
      }
    }
    return response;
  }

  private Optional<String> authorization() {
    String token = bearer;
    return token != null ? Optional.of("Bearer " + token) : basic.map(b -> "Basic " + b);
  }

  private HttpRequest request(
      URI uri, String method, HttpRequest.BodyPublisher body, Optional<String> authorization) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .timeout(config.timeout())
            .header("Accept", ACCEPT)
            .method(method, body);
    authorization.ifPresent(value -> request.header("Authorization", value));
    return request.build();
  }

  private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (HttpTimeoutException e) {
      throw new IOException(
          "registry " + config.address() + " did not answer within " + config.timeout(), e);
    } catch (IOException e) {
      throw new IOException("registry " + config.address() + " unreachable: " + e, e);
    }
  }

  /**
   * The token flow of the distribution spec: the challenge names the token service, which is asked
   * with our Basic credentials (anonymous when there are none) for a token of the scope.
   */
  private String token(String challenge) throws IOException, InterruptedException {
    Map<String, String> parameters = new LinkedHashMap<>();
    Matcher matcher = CHALLENGE_PARAMETER.matcher(challenge);
    while (matcher.find()) {
      parameters.put(matcher.group(1).toLowerCase(java.util.Locale.ROOT), matcher.group(2));
    }
    String realm = parameters.remove("realm");
    if (realm == null) {
      throw new IOException("registry token challenge without realm: " + challenge);
    }
    StringBuilder query = new StringBuilder();
    for (Map.Entry<String, String> parameter : parameters.entrySet()) {
      query.append(query.isEmpty() ? "?" : "&");
      query
          .append(parameter.getKey())
          .append('=')
          .append(URLEncoder.encode(parameter.getValue(), StandardCharsets.UTF_8));
    }
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(realm + query)).timeout(config.timeout()).GET();
    basic.ifPresent(b -> request.header("Authorization", "Basic " + b));
    HttpResponse<String> response = send(request.build());
    if (response.statusCode() != 200) {
      throw unexpected(response, "a token from " + realm);
    }
    try {
      JsonObject answer = new JsonObject(response.body());
      String token = answer.getString("token", answer.getString("access_token"));
      if (token == null) {
        throw new IOException("the registry token service answered no token");
      }
      return token;
    } catch (DecodeException | ClassCastException e) {
      throw new IOException("the registry token service answered no JSON: " + e.getMessage());
    }
  }

  private IOException unexpected(HttpResponse<String> response, String what) {
    String message =
        "registry " + config.address() + " answered " + response.statusCode() + " for " + what;
    if (response.statusCode() == 412) {
      return new PreconditionFailed(message + " (image not scanned or failing a policy)");
    }
    String body = response.body() == null ? "" : response.body();
    return new IOException(
        body.isBlank()
            ? message
            : message + ": " + body.substring(0, Math.min(500, body.length())));
  }
}
