package org.substra.node.orglink.probes;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutgoingTableTest {

  @Test
  void centresEveryCellInItsColumnLikeTheReferenceCommand() {
    String table =
        OutgoingTable.format(
            List.of(
                new PeerState(
                    "biotechnica", "http://api.cluster-2.DOMAIN:80", "200", true, Instant.now()),
                new PeerState("ingen", "http://x:1", "ConnectException", false, Instant.now())));

    assertThat(table.split("\n"))
        .containsExactly(
            "|   org_id    |          org_address           |   http_status    |",
            "| biotechnica | http://api.cluster-2.DOMAIN:80 |       200        |",
            "|    ingen    |           http://x:1           | ConnectException |");
  }

  @Test
  void withoutPeersOnlyTheHeaderIsPrinted() {
    assertThat(OutgoingTable.format(List.of()))
        .isEqualTo("| org_id | org_address | http_status |\n");
  }
}
