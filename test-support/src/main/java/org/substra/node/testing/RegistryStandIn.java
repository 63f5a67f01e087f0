package org.substra.node.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for the Docker registry (no real registry can run here): the v2 endpoints that
 * compute-service and scheduler-service call, over one repository. Like a real registry it answers
 * a manifest only for the media types asked in {@code Accept}, serves config blobs under their
 * digest, lists tags in pages with a {@code Link} header, and a manifest deletion by digest removes
 * every tag of that digest; optionally behind Basic auth or the Bearer token flow (a token service
 * at {@code /token} that wants the Basic credentials).
 *
 * <p>Used directly ({@code new RegistryStandIn()}, then {@link #close()}), or as a Quarkus test
 * resource that points {@code node.registry.*} at it and injects itself into the test's {@code
 * RegistryStandIn} field.
 */
public final class RegistryStandIn implements QuarkusTestResourceLifecycleManager, AutoCloseable {

  public static final String REPOSITORY = "substra/user-image";
  private static final String MANIFEST_TYPE =
      "application/vnd.docker.distribution.manifest.v2+json";
  private static final String TOKEN = "token-of-the-stand-in";
  private static final int TAGS_PAGE = 2;

  public enum Auth {
    NONE,
    BASIC,
    BEARER
  }

  private record Manifest(String digest, String body) {}

  private final Auth auth;
  private final String credentials;
  private final Map<String, Manifest> manifests = new ConcurrentHashMap<>();
  private final Map<String, String> blobs = new ConcurrentHashMap<>();
  private final Map<String, Integer> statuses = new ConcurrentHashMap<>();
  private final List<String> deletions = new CopyOnWriteArrayList<>();
  private HttpServer server;

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
  }

  /** {@code host:port}; the server starts on the first call (Quarkus builds unused instances). */
  public synchronized String address() {
    if (server == null) {
      try {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      server.createContext("/", this::handle);
      server.start();
    }
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  @Override
  public Map<String, String> start() {
    return Map.of(
        "node.registry.address",
        address(),
        "node.registry.scheme",
        "http",
        "node.registry.user-image-repository",
        REPOSITORY);
  }

  @Override
  public void inject(TestInjector testInjector) {
    testInjector.injectIntoFields(this, new TestInjector.MatchesType(RegistryStandIn.class));
  }

  @Override
  public void stop() {
    close();
  }

  @Override
  public synchronized void close() {
    if (server != null) {
      server.stop(0);
    }
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
    String manifest =
        new JsonObject()
            .put("schemaVersion", 2)
            .put("mediaType", MANIFEST_TYPE)
            .put(
                "config",
                new JsonObject()
                    .put("mediaType", "application/vnd.docker.container.image.v1+json")
                    .put("digest", digest))
            .put("layers", new JsonArray())
            .encode();
    manifests.put(tag, new Manifest(digest(manifest), manifest));
  }

  /** Tags an image known only by its manifest digest; tags of one digest share one manifest. */
  public void tag(String tag, String digest) {
    manifests.put(
        tag,
        new Manifest(
            digest,
            new JsonObject()
                .put("schemaVersion", 2)
                .put("mediaType", MANIFEST_TYPE)
                .put("layers", new JsonArray())
                .encode()));
  }

  /** The tags the registry holds now. */
  public Set<String> tags() {
    return Set.copyOf(manifests.keySet());
  }

  /** The digest of every manifest deleted, in order. */
  public List<String> deletions() {
    return List.copyOf(deletions);
  }

  /** A registry reset: every image is gone, and so is the record of deletions. */
  public void reset() {
    manifests.clear();
    blobs.clear();
    deletions.clear();
  }

  /** Every manifest request of {@code tag} is answered {@code status} (Harbor's 412, ...). */
  public void answer(String tag, int status) {
    statuses.put(tag, status);
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
    if (path.equals(prefix + "/tags/list") && method.equals("GET")) {
      listTags(exchange);
    } else if (path.startsWith(prefix + "/manifests/sha256:") && method.equals("DELETE")) {
      String digest = path.substring((prefix + "/manifests/").length());
      if (manifests.values().removeIf(manifest -> manifest.digest().equals(digest))) {
        deletions.add(digest);
        respond(exchange, 202, "");
      } else {
        respond(exchange, 404, "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\"}]}");
      }
    } else if (path.startsWith(prefix + "/manifests/")
        && (method.equals("HEAD") || method.equals("GET"))) {
      String tag = path.substring((prefix + "/manifests/").length());
      String accept = exchange.getRequestHeaders().getFirst("Accept");
      Manifest manifest = manifests.get(tag);
      if (statuses.containsKey(tag)) {
        respond(exchange, statuses.get(tag), "");
      } else if (manifest == null || accept == null || !accept.contains(MANIFEST_TYPE)) {
        respond(exchange, 404, "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\"}]}");
      } else {
        exchange.getResponseHeaders().add("Content-Type", MANIFEST_TYPE);
        exchange.getResponseHeaders().add("Docker-Content-Digest", manifest.digest());
        respond(exchange, 200, method.equals("HEAD") ? "" : manifest.body());
      }
    } else if (path.startsWith(prefix + "/blobs/") && method.equals("GET")) {
      String blob = blobs.get(path.substring((prefix + "/blobs/").length()));
      respond(exchange, blob == null ? 404 : 200, blob == null ? "" : blob);
    } else {
      respond(exchange, 404, "");
    }
  }

  private void listTags(HttpExchange exchange) throws IOException {
    String query = exchange.getRequestURI().getQuery();
    String last = null;
    if (query != null) {
      for (String parameter : query.split("&")) {
        if (parameter.startsWith("last=")) {
          last = parameter.substring("last=".length());
        }
      }
    }
    String after = last;
    List<String> sorted =
        manifests.keySet().stream()
            .sorted()
            .filter(tag -> after == null || tag.compareTo(after) > 0)
            .toList();
    List<String> page = sorted.subList(0, Math.min(TAGS_PAGE, sorted.size()));
    if (sorted.size() > TAGS_PAGE) {
      exchange
          .getResponseHeaders()
          .add(
              "Link",
              "</v2/"
                  + REPOSITORY
                  + "/tags/list?n="
                  + TAGS_PAGE
                  + "&last="
                  + page.get(TAGS_PAGE - 1)
                  + ">; rel=\"next\"");
    }
    respond(exchange, 200, new JsonObject().put("name", REPOSITORY).put("tags", page).encode());
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
