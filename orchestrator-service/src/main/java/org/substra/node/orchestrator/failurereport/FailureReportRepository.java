package org.substra.node.orchestrator.failurereport;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import org.substra.node.orchestrator.protocol.FailureReport;
import org.substra.node.orchestrator.storage.SnapshotTable;
import org.substra.node.orchestrator.storage.Tx;

/** One report per failed asset, keyed by the asset's key. */
@ApplicationScoped
public class FailureReportRepository {

  private final SnapshotTable<FailureReport> reports =
      new SnapshotTable<>("failure_reports", FailureReport.parser(), FailureReport::getAssetKey);

  public Uni<Void> insert(Tx tx, FailureReport report) {
    return tx.connection()
        .preparedQuery(
            "INSERT INTO failure_reports (asset_key, channel, creation_date, payload)"
                + " VALUES ($1, $2, $3, $4)")
        .execute(
            Tuple.of(
                UUID.fromString(report.getAssetKey()),
                tx.channel(),
                tx.now(),
                SnapshotTable.payload(report)))
        .replaceWithVoid();
  }

  /** The report, or null. */
  public Uni<FailureReport> find(Tx tx, String assetKey) {
    return reports.find(tx, assetKey, "asset_key");
  }
}
