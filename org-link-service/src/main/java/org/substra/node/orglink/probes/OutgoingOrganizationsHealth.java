package org.substra.node.orglink.probes;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;
import org.substra.node.orglink.accounts.AccountOperator;

/**
 * The peers' last probe and the last account sync, as details of readiness. Always UP: a peer that
 * is down, or a malformed account file, must not take this node out of service.
 */
@Readiness
@ApplicationScoped
public class OutgoingOrganizationsHealth implements HealthCheck {

  private final PeerStates peers;
  private final AccountOperator accounts;

  OutgoingOrganizationsHealth(PeerStates peers, AccountOperator accounts) {
    this.peers = peers;
    this.accounts = accounts;
  }

  @Override
  public HealthCheckResponse call() {
    HealthCheckResponseBuilder builder = HealthCheckResponse.named("Organization links").up();
    accounts
        .status()
        .ifPresent(
            status ->
                builder.withData(
                    "accounts", (status.ok() ? "ok: " : "error: ") + status.message()));
    for (PeerState state : peers.last()) {
      builder.withData(
          "peer " + state.organizationId(), state.httpStatus() + " " + state.address());
    }
    return builder.build();
  }
}
