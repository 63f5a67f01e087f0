package org.substra.node.event.projection;

import static org.substra.node.event.projection.Rows.permission;
import static org.substra.node.event.projection.Rows.time;
import static org.substra.node.event.projection.Rows.uuid;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.substra.node.orchestrator.protocol.AssetKind;
import org.substra.node.orchestrator.protocol.ComputeTaskOutputAsset;
import org.substra.node.orchestrator.protocol.FailureReport;
import org.substra.node.orchestrator.protocol.Model;
import org.substra.node.orchestrator.protocol.Performance;

/** Queries of what tasks produce: models, performances, output assets, failure reports. */
@ApplicationScoped
public class OutputRepository {

  void model(Connection db, ProjectionBatch batch, String channel, Model model)
      throws SQLException {
    PreparedStatement insert =
        batch.defer(
            db,
            ProjectionBatch.Stage.ASSETS,
            "INSERT INTO models (key, channel, compute_task_key, owner, address_checksum, address,"
                + " process_public, process_authorized_ids, download_public,"
                + " download_authorized_ids, creation_date)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING");
    {
      int i = 1;
      insert.setObject(i++, uuid(model.getKey()));
      insert.setString(i++, channel);
      insert.setObject(i++, uuid(model.getComputeTaskKey()));
      insert.setString(i++, model.getOwner());
      insert.setString(i++, model.hasAddress() ? model.getAddress().getChecksum() : null);
      insert.setString(i++, model.hasAddress() ? model.getAddress().getStorageAddress() : null);
      i = permission(insert, i, model.getPermissions().getProcess());
      i = permission(insert, i, model.getPermissions().getDownload());
      insert.setObject(i, time(model.getCreationDate()));
      insert.addBatch();
    }
  }

  void disableModel(Connection db, ProjectionBatch batch, String modelKey) throws SQLException {
    PreparedStatement update =
        batch.defer(
            db,
            ProjectionBatch.Stage.ASSET_UPDATES,
            "UPDATE models SET address = NULL, address_checksum = NULL WHERE key = ?");
    update.setObject(1, uuid(modelKey));
    update.addBatch();
  }

  void performance(Connection db, ProjectionBatch batch, String channel, Performance performance)
      throws SQLException {
    PreparedStatement insert =
        batch.defer(
            db,
            ProjectionBatch.Stage.ASSETS,
            "INSERT INTO performances (compute_task_key, compute_task_output_identifier, channel,"
                + " performance_value, creation_date) VALUES (?, ?, ?, ?, ?)"
                + " ON CONFLICT DO NOTHING");
    {
      insert.setObject(1, uuid(performance.getComputeTaskKey()));
      insert.setString(2, performance.getComputeTaskOutputIdentifier());
      insert.setString(3, channel);
      // The wire value is a 32-bit float: widen its decimal form, not its binary one (0.87, not
      // 0.8700000047683716).
      insert.setDouble(4, Double.parseDouble(Float.toString(performance.getPerformanceValue())));
      insert.setObject(5, time(performance.getCreationDate()));
      insert.addBatch();
    }
  }

  void outputAsset(
      Connection db, ProjectionBatch batch, ComputeTaskOutputAsset asset, long position)
      throws SQLException {
    boolean model = asset.getAssetKind() == AssetKind.ASSET_MODEL;
    // A model learns which output it fills from this event: one round trip for both writes.
    PreparedStatement insert =
        batch.defer(
            db,
            ProjectionBatch.Stage.ASSET_LINKS,
            model
                ? "WITH asset AS (INSERT INTO compute_task_output_assets (compute_task_key,"
                    + " identifier, asset_kind, asset_key, position) VALUES (?, ?, ?, ?, ?)"
                    + " ON CONFLICT DO NOTHING)"
                    + " UPDATE models SET compute_task_output_identifier = ? WHERE key = ?"
                : "INSERT INTO compute_task_output_assets (compute_task_key, identifier,"
                    + " asset_kind, asset_key, position) VALUES (?, ?, ?, ?, ?)"
                    + " ON CONFLICT DO NOTHING");
    {
      insert.setObject(1, uuid(asset.getComputeTaskKey()));
      insert.setString(2, asset.getComputeTaskOutputIdentifier());
      insert.setString(3, asset.getAssetKind().name());
      insert.setString(4, asset.getAssetKey());
      insert.setLong(5, position);
      if (model) {
        insert.setString(6, asset.getComputeTaskOutputIdentifier());
        insert.setObject(7, uuid(asset.getAssetKey()));
      }
      insert.addBatch();
    }
  }

  void failureReport(Connection db, String channel, FailureReport report) throws SQLException {
    try (PreparedStatement upsert =
        db.prepareStatement(
            "INSERT INTO failure_reports (asset_key, channel, asset_type, error_type,"
                + " logs_checksum, logs_address, owner, creation_date)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (asset_key) DO NOTHING")) {
      upsert.setObject(1, uuid(report.getAssetKey()));
      upsert.setString(2, channel);
      upsert.setString(3, report.getAssetType().name());
      upsert.setString(4, report.getErrorType().name());
      upsert.setString(5, report.hasLogsAddress() ? report.getLogsAddress().getChecksum() : null);
      upsert.setString(
          6, report.hasLogsAddress() ? report.getLogsAddress().getStorageAddress() : null);
      upsert.setString(7, report.getOwner());
      upsert.setObject(8, time(report.getCreationDate()));
      upsert.executeUpdate();
    }
  }
}
