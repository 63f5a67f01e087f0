package org.substra.node.orchestrator.model;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.substra.node.orchestrator.protocol.Model;
import org.substra.node.orchestrator.storage.SnapshotTable;
import org.substra.node.orchestrator.storage.Tx;

/** Models; a disabled model keeps its row, without address (spec §3.8.3). */
@ApplicationScoped
public class ModelRepository {

  private final SnapshotTable<Model> models =
      new SnapshotTable<>("models", Model.parser(), Model::getKey);

  public Uni<Model> find(Tx tx, String key) {
    return models.find(tx, key);
  }

  public Uni<Map<String, Model>> findAll(Tx tx, Collection<String> keys) {
    return models.findAll(tx, keys);
  }

  public Uni<Void> insert(Tx tx, Model model, String identifier) {
    return tx.connection()
        .preparedQuery(
            "INSERT INTO models (key, channel, compute_task_key, identifier, creation_date,"
                + " payload) VALUES ($1, $2, $3, $4, $5, $6)")
        .execute(
            Tuple.of(
                UUID.fromString(model.getKey()),
                tx.channel(),
                UUID.fromString(model.getComputeTaskKey()),
                identifier,
                tx.now(),
                SnapshotTable.payload(model)))
        .replaceWithVoid();
  }

  public Uni<Void> update(Tx tx, Model model) {
    return models.update(tx, model);
  }

  /** Models of a task, output by output, in registration order. */
  public Uni<List<Model>> ofTask(Tx tx, String taskKey) {
    return tx.connection()
        .preparedQuery(
            "SELECT m.payload FROM models m JOIN compute_task_output_assets a"
                + " ON a.asset_key = m.key::text WHERE m.channel = $1 AND m.compute_task_key = $2"
                + " ORDER BY a.identifier, a.position")
        .execute(Tuple.of(tx.channel(), UUID.fromString(taskKey)))
        .map(models::decodeAll);
  }

  /** Models of one task output, in registration order. */
  public Uni<List<Model>> ofOutput(Tx tx, String taskKey, String identifier) {
    return tx.connection()
        .preparedQuery(
            "SELECT m.payload FROM models m JOIN compute_task_output_assets a"
                + " ON a.asset_key = m.key::text WHERE m.compute_task_key = $1"
                + " AND m.identifier = $2 ORDER BY a.position")
        .execute(Tuple.of(UUID.fromString(taskKey), identifier))
        .map(models::decodeAll);
  }

  /** The models of several tasks, by task key. */
  public Uni<Map<String, List<Model>>> ofTasks(Tx tx, Collection<String> taskKeys) {
    if (taskKeys.isEmpty()) {
      return Uni.createFrom().item(Map.of());
    }
    return tx.connection()
        .preparedQuery("SELECT payload FROM models WHERE compute_task_key = ANY($1)")
        .execute(Tuple.of(SnapshotTable.uuids(taskKeys).toArray(UUID[]::new)))
        .map(
            rows -> {
              Map<String, List<Model>> byTask = new HashMap<>();
              for (Model model : models.decodeAll(rows)) {
                byTask
                    .computeIfAbsent(model.getComputeTaskKey(), key -> new ArrayList<>())
                    .add(model);
              }
              return byTask;
            });
  }
}
