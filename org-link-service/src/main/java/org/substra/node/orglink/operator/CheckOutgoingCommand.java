package org.substra.node.orglink.operator;

import io.quarkus.runtime.QuarkusApplication;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.util.List;
import org.substra.node.orglink.probes.OutgoingOrganizationProbe;
import org.substra.node.orglink.probes.OutgoingTable;
import org.substra.node.orglink.probes.PeerState;

/** {@code check-outgoing [org_id]}: probes the outgoing organizations once and prints the table. */
public class CheckOutgoingCommand implements QuarkusApplication {

  @Inject OutgoingOrganizationProbe probe;

  @Override
  public int run(String... args) throws Exception {
    List<PeerState> states;
    try {
      states = probe.probeAll();
    } catch (SQLException e) {
      // 42P01: the service has never started against this database, so it has no tables yet.
      System.err.println(
          "42P01".equals(e.getSQLState())
              ? "org-link-service has not created its tables in this database yet: start it once"
              : "cannot read the outgoing organizations: " + e.getMessage());
      return 2;
    }
    if (args.length > 1) {
      states = states.stream().filter(state -> state.organizationId().equals(args[1])).toList();
      if (states.isEmpty()) {
        System.err.println("Outgoing organization with id " + args[1] + " does not exist");
        return 1;
      }
    }
    System.out.print(OutgoingTable.format(states));
    return 0;
  }
}
