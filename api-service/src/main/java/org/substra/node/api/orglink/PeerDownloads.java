package org.substra.node.api.orglink;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Set;
import org.jboss.logging.Logger;
import org.substra.node.api.config.ApiConfig;
import org.substra.node.api.error.ApiException;

/**
 * Fetches a file from the organization that owns it (REST spec §5.2 step 6, worker-spec §6.2):
 * Basic with this node's id and the outgoing secret for the owner, the versioned Accept, the
 * channel and {@code Substra-Proxy-Asset: True}; status, headers (minus hop-by-hop) and body are
 * relayed, the body streamed. The owner's address is its outgoing entry's, else its organization
 * record.
 */
@ApplicationScoped
public class PeerDownloads {

  private static final Logger LOG = Logger.getLogger(PeerDownloads.class);

  // RFC 9110 §7.6.1 hop-by-hop headers, plus those the relay sets itself.
  private static final Set<String> NOT_RELAYED =
      Set.of(
          "connection",
          "keep-alive",
          "proxy-authenticate",
          "proxy-authorization",
          "te",
          "trailer",
          "transfer-encoding",
          "upgrade",
          "content-length",
          ":status");

  private final OrganizationCredentials credentials;
  private final Pool pool;
  private final ApiConfig config;
  private final HttpClient http;

  PeerDownloads(OrganizationCredentials credentials, Pool pool, ApiConfig config) {
    this.credentials = credentials;
    this.pool = pool;
    this.config = config;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /**
   * {@code path} (e.g. {@code /model/<key>/file/}) of {@code owner}, relayed as the response.
   * {@code forUser}: the request is a user's download (export), marked {@code Substra-Proxy-Asset}
   * so that the owner applies the download permission; an organization caller (this node's own
   * workers) fetches a task input, which the owner checks against the process permission.
   */
  public Response relay(String owner, String channel, String path, boolean forUser) {
    OrganizationCredentials.Outgoing outgoing = credentials.outgoing(owner).await().indefinitely();
    if (outgoing == null) {
      throw ApiException.detail(
          500, "No outgoing credentials for " + owner + ", which keeps this file.");
    }
    String address =
        outgoing.address() != null ? outgoing.address() : registeredAddress(owner, channel);
    if (address == null) {
      throw ApiException.detail(500, owner + " has no address in channel " + channel + ".");
    }
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(address.replaceAll("/+$", "") + path))
            .header("Authorization", basic(config.organizationId(), outgoing.secret()))
            .header("Accept", "application/json;version=0.0")
            .header("Substra-Channel-Name", channel);
    if (forUser) {
      builder.header("Substra-Proxy-Asset", "True");
    }
    HttpRequest request = builder.GET().build();
    HttpResponse<InputStream> answer;
    try {
      answer = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApiException.detail(500, "Interrupted while fetching the file from " + owner + ".");
    } catch (Exception e) {
      LOG.warnf("fetching %s from %s (%s) failed: %s", path, owner, address, e);
      throw ApiException.detail(500, "Could not fetch the file from " + owner + ": " + e);
    }
    Response.ResponseBuilder response = Response.status(answer.statusCode()).entity(answer.body());
    answer
        .headers()
        .map()
        .forEach(
            (name, values) -> {
              if (!NOT_RELAYED.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(value -> response.header(name, value));
              }
            });
    answer
        .headers()
        .firstValue("content-length")
        .ifPresent(length -> response.header("Content-Length", length));
    return response.build();
  }

  /** The owner's address in its organization record of {@code channel}, or null. */
  private String registeredAddress(String owner, String channel) {
    return pool.preparedQuery(
            "select address from read_model.organizations where id = $1 and channel = $2")
        .execute(Tuple.of(owner, channel))
        .map(rows -> rows.iterator().hasNext() ? rows.iterator().next().getString("address") : null)
        .await()
        .indefinitely();
  }

  static String basic(String user, String secret) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + secret).getBytes(StandardCharsets.UTF_8));
  }
}
