package org.substra.node.compute.registry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for the Docker registry (no real registry can run here): manifests and config blobs of
 * one repository, served like a registry does: a manifest only for the media types asked in {@code
 * Accept}, the config blob under its digest; optionally behind Basic auth or the Bearer token flow
 * (a token service at {@code /token} that wants the Basic credentials).
 */
public final class RegistryStandIn implements AutoCloseable {

  public static final String REPOSITORY = "substra/user-image";
  static final String MANIFEST_TYPE = "application/vnd.docker.distribution.manifest.v2+json";
  static final String TOKEN = "token-of-the-stand-in";

  public enum Auth {
    NONE,
    BASIC,
    BEARER
  }

  private final HttpServer server;
  private final Auth auth;
  private final String credentials;
  private final Map<String, String> manifests = new ConcurrentHashMap<>();
  private final Map<String, String> blobs = new ConcurrentHashMap<>();
  private final Map<String, Integer> statuses = new ConcurrentHashMap<>();

  /** {@code METHOD path} of every request, token requests included. */
  public final List<String> requests = new CopyOnWriteArrayList<>();

  public RegistryStandIn() {
    this(Auth.NONE, "", "");
  }

  public RegistryStandIn(Auth auth, String username, String password) {
    this.auth = auth;
    this.credentials =
        Base64.getEncoder()
            .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", this::handle);
    server.start();
  }

  public String address() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  /** What Kaniko would push: the config blob, then the manifest pointing to it. */
  public void push(String tag, List<String> entrypoint, List<String> cmd) {
    JsonObject config = new JsonObject().put("WorkingDir", "/sandbox");
    if (entrypoint != null) {
      config.put("Entrypoint", new JsonArray(entrypoint));
    }
    if (cmd != null) {
      config.put("Cmd", new JsonArray(cmd));
    }
    String blob = new JsonObject().put("architecture", "amd64").put("config", config).encode();
    String digest = digest(blob);
    blobs.put(digest, blob);
    manifests.put(
        tag,
        new JsonObject()
            .put("schemaVersion", 2)
            .put("mediaType", MANIFEST_TYPE)
            .put(
                "config",
                new JsonObject()
                    .put("mediaType", "application/vnd.docker.container.image.v1+json")
                    .put("digest", digest))
            .put("layers", new JsonArray())
            .encode());
  }

  /** A registry reset: every image is gone. */
  public void reset() {
    manifests.clear();
    blobs.clear();
  }

  /** Every manifest request of {@code tag} is answered {@code status} (Harbor's 412, ...). */
  public void answer(String tag, int status) {
    statuses.put(tag, status);
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getPath();
    requests.add(method + " " + path);
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    if (path.equals("/token")) {
      if (("Basic " + credentials).equals(authorization)) {
        respond(exchange, 200, new JsonObject().put("token", TOKEN).encode());
      } else {
        respond(exchange, 401, "");
      }
      return;
    }
    if (!authorized(authorization)) {
      String challenge =
          auth == Auth.BASIC
              ? "Basic realm=\"registry\""
              : "Bearer realm=\"http://"
                  + address()
                  + "/token\",service=\"stand-in\",scope=\"repository:"
                  + REPOSITORY
                  + ":pull\"";
      exchange.getResponseHeaders().add("WWW-Authenticate", challenge);
      respond(exchange, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\"}]}");
      return;
    }
    String prefix = "/v2/" + REPOSITORY;
    if (path.startsWith(prefix + "/manifests/")
        && (method.equals("HEAD") || method.equals("GET"))) {
      String tag = path.substring((prefix + "/manifests/").length());
      String accept = exchange.getRequestHeaders().getFirst("Accept");
      String manifest = manifests.get(tag);
      if (statuses.containsKey(tag)) {
        respond(exchange, statuses.get(tag), "");
      } else if (manifest == null || accept == null || !accept.contains(MANIFEST_TYPE)) {
        respond(exchange, 404, "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\"}]}");
      } else {
        exchange.getResponseHeaders().add("Content-Type", MANIFEST_TYPE);
        exchange.getResponseHeaders().add("Docker-Content-Digest", digest(manifest));
        respond(exchange, 200, method.equals("HEAD") ? "" : manifest);
      }
    } else if (path.startsWith(prefix + "/blobs/") && method.equals("GET")) {
      String blob = blobs.get(path.substring((prefix + "/blobs/").length()));
      respond(exchange, blob == null ? 404 : 200, blob == null ? "" : blob);
    } else {
      respond(exchange, 404, "");
    }
  }

  private boolean authorized(String authorization) {
    return switch (auth) {
      case NONE -> true;
      case BASIC -> ("Basic " + credentials).equals(authorization);
      case BEARER -> ("Bearer " + TOKEN).equals(authorization);
    };
  }

  private static String digest(String content) {
    try {
      return "sha256:"
          + HexFormat.of()
              .formatHex(
                  MessageDigest.getInstance("SHA-256")
                      .digest(content.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      exchange.getResponseBody().write(bytes);
    }
    exchange.close();
  }
}
