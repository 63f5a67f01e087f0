package org.substra.node.orchestrator.datamanager;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.substra.node.orchestrator.protocol.DataManager;
import org.substra.node.orchestrator.storage.Page;
import org.substra.node.orchestrator.storage.SnapshotTable;
import org.substra.node.orchestrator.storage.Tx;

@ApplicationScoped
public class DataManagerRepository {

  private final SnapshotTable<DataManager> dataManagers =
      new SnapshotTable<>("datamanagers", DataManager.parser(), DataManager::getKey);

  public Uni<DataManager> find(Tx tx, String key) {
    return dataManagers.find(tx, key);
  }

  public Uni<Map<String, DataManager>> findAll(Tx tx, Collection<String> keys) {
    return dataManagers.findAll(tx, keys);
  }

  public Uni<Void> insert(Tx tx, DataManager dataManager) {
    return tx.connection()
        .preparedQuery(
            "INSERT INTO datamanagers (key, channel, owner, creation_date, payload)"
                + " VALUES ($1, $2, $3, $4, $5)")
        .execute(
            Tuple.of(
                UUID.fromString(dataManager.getKey()),
                tx.channel(),
                dataManager.getOwner(),
                tx.now(),
                SnapshotTable.payload(dataManager)))
        .replaceWithVoid();
  }

  public Uni<Void> update(Tx tx, DataManager dataManager) {
    return dataManagers.update(tx, dataManager);
  }

  public Uni<List<DataManager>> query(Tx tx, Page page) {
    return dataManagers.page(tx, "", List.of(), "creation_date, key", page);
  }
}
