package org.substra.node.orchestrator.datasample;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.substra.node.orchestrator.protocol.DataSample;
import org.substra.node.orchestrator.storage.Page;
import org.substra.node.orchestrator.storage.SnapshotTable;
import org.substra.node.orchestrator.storage.Tx;

@ApplicationScoped
public class DataSampleRepository {

  private static final String ORDER = "creation_date, key";

  private final SnapshotTable<DataSample> samples =
      new SnapshotTable<>("datasamples", DataSample.parser(), DataSample::getKey);

  public Uni<DataSample> find(Tx tx, String key) {
    return samples.find(tx, key);
  }

  public Uni<Map<String, DataSample>> findAll(Tx tx, Collection<String> keys) {
    return samples.findAll(tx, keys);
  }

  public Uni<Void> insertAll(Tx tx, List<DataSample> created) {
    List<Tuple> rows = new ArrayList<>(created.size());
    for (DataSample sample : created) {
      rows.add(
          Tuple.of(
              UUID.fromString(sample.getKey()),
              tx.channel(),
              sample.getOwner(),
              tx.now(),
              SnapshotTable.payload(sample)));
    }
    return tx.connection()
        .preparedQuery(
            "INSERT INTO datasamples (key, channel, owner, creation_date, payload)"
                + " VALUES ($1, $2, $3, $4, $5)")
        .executeBatch(rows)
        .flatMap(inserted -> link(tx, created));
  }

  /** Stores new snapshots and the links they add (existing links are kept). */
  public Uni<Void> updateAll(Tx tx, List<DataSample> updated) {
    List<Tuple> rows = new ArrayList<>(updated.size());
    for (DataSample sample : updated) {
      rows.add(Tuple.of(UUID.fromString(sample.getKey()), SnapshotTable.payload(sample)));
    }
    return tx.connection()
        .preparedQuery("UPDATE datasamples SET payload = $2 WHERE key = $1")
        .executeBatch(rows)
        .flatMap(stored -> link(tx, updated));
  }

  private Uni<Void> link(Tx tx, List<DataSample> samples) {
    List<Tuple> links = new ArrayList<>();
    for (DataSample sample : samples) {
      for (String manager : sample.getDataManagerKeysList()) {
        links.add(Tuple.of(UUID.fromString(manager), UUID.fromString(sample.getKey())));
      }
    }
    if (links.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    return tx.connection()
        .preparedQuery(
            "INSERT INTO datasample_datamanagers (datamanager_key, datasample_key)"
                + " VALUES ($1, $2) ON CONFLICT DO NOTHING")
        .executeBatch(links)
        .replaceWithVoid();
  }

  public Uni<List<DataSample>> query(Tx tx, List<String> keys, Page page) {
    if (keys.isEmpty()) {
      return samples.page(tx, "", List.of(), ORDER, page);
    }
    return samples.page(
        tx,
        "key = ANY($2)",
        List.of((Object) SnapshotTable.uuids(keys).toArray(UUID[]::new)),
        ORDER,
        page);
  }

  /** The keys of the samples linked to a data manager, in registration order (GetDataset). */
  public Uni<List<String>> keysOf(Tx tx, String dataManagerKey) {
    return tx.connection()
        .preparedQuery(
            "SELECT s.key FROM datasample_datamanagers l JOIN datasamples s"
                + " ON s.key = l.datasample_key WHERE l.datamanager_key = $1"
                + " ORDER BY s.creation_date, s.seq")
        .execute(Tuple.of(UUID.fromString(dataManagerKey)))
        .map(
            rows -> {
              List<String> keys = new ArrayList<>(rows.size());
              rows.forEach(row -> keys.add(row.getUUID(0).toString()));
              return keys;
            });
  }
}
