package org.substra.node.orchestrator.computetask;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.substra.node.orchestrator.protocol.AssetKind;
import org.substra.node.orchestrator.protocol.ComputeTaskOutputAsset;
import org.substra.node.orchestrator.storage.Tx;

/** Assets registered on task outputs (spec §3.8.3, §3.9, §3.10). */
@ApplicationScoped
public class OutputAssetRepository {

  /** Appends an asset to an output, after the ones already there. */
  public Uni<Void> add(Tx tx, ComputeTaskOutputAsset asset) {
    return tx.connection()
        .preparedQuery(
            "INSERT INTO compute_task_output_assets"
                + " (compute_task_key, identifier, position, asset_kind, asset_key)"
                + " SELECT $1::uuid, $2::varchar, COALESCE(MAX(position) + 1, 0), $3, $4"
                + " FROM compute_task_output_assets"
                + " WHERE compute_task_key = $1::uuid AND identifier = $2::varchar")
        .execute(
            Tuple.of(
                UUID.fromString(asset.getComputeTaskKey()),
                asset.getComputeTaskOutputIdentifier(),
                asset.getAssetKind().name(),
                asset.getAssetKey()))
        .replaceWithVoid();
  }

  /** The assets of one output, in registration order. */
  public Uni<List<ComputeTaskOutputAsset>> of(Tx tx, String taskKey, String identifier) {
    return tx.connection()
        .preparedQuery(
            "SELECT compute_task_key, identifier, asset_kind, asset_key"
                + " FROM compute_task_output_assets WHERE compute_task_key = $1 AND identifier = $2"
                + " ORDER BY position")
        .execute(Tuple.of(UUID.fromString(taskKey), identifier))
        .map(
            rows -> {
              List<ComputeTaskOutputAsset> assets = new ArrayList<>();
              for (Row row : rows) {
                assets.add(
                    ComputeTaskOutputAsset.newBuilder()
                        .setComputeTaskKey(row.getUUID(0).toString())
                        .setComputeTaskOutputIdentifier(row.getString(1))
                        .setAssetKind(AssetKind.valueOf(row.getString(2)))
                        .setAssetKey(row.getString(3))
                        .build());
              }
              return assets;
            });
  }
}
