package org.substra.node.orglink.probes;

import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.substra.node.orglink.config.OrgLinkConfig;
import org.substra.node.orglink.credentials.CredentialRepository;
import org.substra.node.orglink.credentials.OutgoingOrganization;

/**
 * Asks every outgoing organization whether it answers: {@code GET <address>/info/} (worker-spec
 * §6.4 {@code get_outgoing_organization}) sent the way this node calls peers (§6.2: Basic with the
 * outgoing secret, versioned Accept, channel header). This node itself is not a peer and is left
 * out.
 */
@ApplicationScoped
public class OutgoingOrganizationProbe {

  private final DataSource dataSource;
  private final CredentialRepository credentials;
  private final PeerAddresses addresses;
  private final OrgLinkConfig config;
  private final HttpClient http;

  OutgoingOrganizationProbe(
      DataSource dataSource,
      CredentialRepository credentials,
      PeerAddresses addresses,
      OrgLinkConfig config) {
    this.dataSource = dataSource;
    this.credentials = credentials;
    this.addresses = addresses;
    this.config = config;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(config.probes().timeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  public List<PeerState> probeAll() throws SQLException {
    Map<String, OutgoingOrganization> outgoing;
    try (Connection connection = dataSource.getConnection()) {
      outgoing = credentials.outgoing(connection);
    }
    Map<String, String> registered = addresses.inChannels(config.channels());
    List<PeerState> states = new ArrayList<>();
    for (OutgoingOrganization peer : outgoing.values()) {
      if (peer.organizationId().equals(config.mspId())) {
        continue;
      }
      String address =
          peer.address() != null ? peer.address() : registered.get(peer.organizationId());
      states.add(probe(peer, address));
    }
    return states;
  }

  PeerState probe(OutgoingOrganization peer, String address) {
    if (address == null || address.isBlank()) {
      // Upstream crashes with a KeyError here; an operator is better served by a row.
      return new PeerState(
          peer.organizationId(),
          "",
          "no address: not registered in the orchestrator",
          false,
          Instant.now());
    }
    String credentials =
        Base64.getEncoder()
            .encodeToString(
                (config.mspId() + ":" + peer.secret()).getBytes(StandardCharsets.UTF_8));
    try {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(address.replaceAll("/+$", "") + "/info/"))
              .timeout(config.probes().timeout())
              .header("Authorization", "Basic " + credentials)
              .header("Accept", "application/json;version=0.0")
              .header("Substra-Channel-Name", config.channels().get(0))
              .GET()
              .build();
      int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
      return new PeerState(
          peer.organizationId(),
          address,
          String.valueOf(status),
          status >= 200 && status < 300,
          Instant.now());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new PeerState(peer.organizationId(), address, "interrupted", false, Instant.now());
    } catch (Exception e) {
      String message = e.getMessage() == null ? "" : ": " + e.getMessage();
      return new PeerState(
          peer.organizationId(),
          address,
          e.getClass().getSimpleName() + message,
          false,
          Instant.now());
    }
  }
}
