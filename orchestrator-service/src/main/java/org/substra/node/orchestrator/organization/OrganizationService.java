package org.substra.node.orchestrator.organization;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import org.substra.node.orchestrator.error.OrchestrationException;
import org.substra.node.orchestrator.identity.Caller;
import org.substra.node.orchestrator.protocol.AssetKind;
import org.substra.node.orchestrator.protocol.Event;
import org.substra.node.orchestrator.protocol.EventKind;
import org.substra.node.orchestrator.protocol.Organization;
import org.substra.node.orchestrator.storage.Transactions;
import org.substra.node.orchestrator.storage.Tx;

/** Organizations of a channel (spec §3.3): an organization registers itself, once per channel. */
@ApplicationScoped
public class OrganizationService {

  private final Transactions transactions;
  private final OrganizationRepository organizations;

  OrganizationService(Transactions transactions, OrganizationRepository organizations) {
    this.transactions = transactions;
    this.organizations = organizations;
  }

  public Uni<Organization> register(Caller caller, String address) {
    return Uni.createFrom()
        .voidItem()
        .invoke(() -> validateAddress(address))
        .flatMap(valid -> transactions.write(caller, tx -> insertOnce(tx, caller, address)));
  }

  private Uni<Organization> insertOnce(Tx tx, Caller caller, String address) {
    return organizations
        .exists(tx, caller.organization())
        .flatMap(
            exists -> {
              if (exists) {
                throw OrchestrationException.conflict("organization", caller.organization());
              }
              Organization organization =
                  Organization.newBuilder()
                      .setId(caller.organization())
                      .setAddress(address)
                      .setCreationDate(tx.nowTimestamp())
                      .build();
              tx.emit(
                  Event.newBuilder()
                      .setAssetKey(organization.getId())
                      .setAssetKind(AssetKind.ASSET_ORGANIZATION)
                      .setEventKind(EventKind.EVENT_ASSET_CREATED)
                      .setOrganization(organization));
              return organizations.insert(tx, organization).replaceWith(organization);
            });
  }

  public Uni<List<Organization>> all(Caller caller) {
    return transactions.read(caller, organizations::all);
  }

  /**
   * An address, when given, is an absolute URL with a scheme and a host, as the reference wants.
   */
  private static void validateAddress(String address) {
    if (address.isEmpty()) {
      return;
    }
    boolean valid;
    try {
      URI uri = new URI(address);
      valid = uri.isAbsolute() && uri.getHost() != null && address.length() <= 200;
    } catch (URISyntaxException e) {
      valid = false;
    }
    if (!valid) {
      throw OrchestrationException.invalid(
          "organization", "address: must be an absolute URL of at most 200 characters.");
    }
  }
}
