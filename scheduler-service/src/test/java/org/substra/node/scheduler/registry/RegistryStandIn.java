package org.substra.node.scheduler.registry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for the Docker registry (no real registry can run here): the v2 endpoints the
 * housekeeping calls, over one in-memory repository of tag to manifest digest. Like a real registry
 * it answers a digest only for the manifest media types asked in {@code Accept}, lists tags in
 * pages with a {@code Link} header, and a manifest deletion by digest removes every tag of that
 * digest.
 */
public class RegistryStandIn implements QuarkusTestResourceLifecycleManager {

  public static final String REPOSITORY = "sched-test/user-image";
  private static final int PAGE = 2;

  static final Map<String, String> TAGS = new ConcurrentHashMap<>();
  static final List<String> DELETIONS = new CopyOnWriteArrayList<>();
  private HttpServer server;

  @Override
  public Map<String, String> start() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/v2/" + REPOSITORY + "/", this::handle);
    server.start();
    return Map.of(
        "node.registry.address",
        "127.0.0.1:" + server.getAddress().getPort(),
        "node.registry.scheme",
        "http",
        "node.registry.user-image-repository",
        REPOSITORY);
  }

  @Override
  public void stop() {
    server.stop(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath().substring(("/v2/" + REPOSITORY).length());
    String method = exchange.getRequestMethod();
    if (path.equals("/tags/list") && method.equals("GET")) {
      listTags(exchange);
    } else if (path.startsWith("/manifests/") && method.equals("HEAD")) {
      String tag = path.substring("/manifests/".length());
      String accept = exchange.getRequestHeaders().getFirst("Accept");
      String digest = TAGS.get(tag);
      if (digest == null
          || accept == null
          || !accept.contains("application/vnd.docker.distribution.manifest.v2+json")) {
        respond(exchange, 404, "");
      } else {
        exchange.getResponseHeaders().add("Docker-Content-Digest", digest);
        exchange.sendResponseHeaders(200, -1);
        exchange.close();
      }
    } else if (path.startsWith("/manifests/sha256:") && method.equals("DELETE")) {
      String digest = path.substring("/manifests/".length());
      if (TAGS.values().removeIf(digest::equals)) {
        DELETIONS.add(digest);
        respond(exchange, 202, "");
      } else {
        respond(exchange, 404, "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\"}]}");
      }
    } else {
      respond(exchange, 405, "");
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
        TAGS.keySet().stream()
            .sorted()
            .filter(tag -> after == null || tag.compareTo(after) > 0)
            .toList();
    List<String> page = sorted.subList(0, Math.min(PAGE, sorted.size()));
    if (sorted.size() > PAGE) {
      exchange
          .getResponseHeaders()
          .add(
              "Link",
              "</v2/"
                  + REPOSITORY
                  + "/tags/list?n="
                  + PAGE
                  + "&last="
                  + page.get(PAGE - 1)
                  + ">; rel=\"next\"");
    }
    String tags = String.join(",", page.stream().map(tag -> "\"" + tag + "\"").toList());
    respond(exchange, 200, "{\"name\":\"" + REPOSITORY + "\",\"tags\":[" + tags + "]}");
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
