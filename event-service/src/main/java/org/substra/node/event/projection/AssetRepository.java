package org.substra.node.event.projection;

import static org.substra.node.event.projection.Rows.json;
import static org.substra.node.event.projection.Rows.permission;
import static org.substra.node.event.projection.Rows.time;
import static org.substra.node.event.projection.Rows.uuid;

import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.substra.node.orchestrator.protocol.DataManager;
import org.substra.node.orchestrator.protocol.DataSample;
import org.substra.node.orchestrator.protocol.Function;
import org.substra.node.orchestrator.protocol.Organization;
import org.substra.node.orchestrator.protocol.ProfilingStep;

/**
 * Assets whose events carry their whole current state: organizations, functions, data managers,
 * data samples, function profiling steps. Each event upserts the snapshot, so applying one twice
 * changes nothing.
 */
@ApplicationScoped
public class AssetRepository {

  void organization(Connection db, String channel, Organization organization) throws SQLException {
    try (PreparedStatement upsert =
        db.prepareStatement(
            "INSERT INTO organizations (channel, id, address, creation_date) VALUES (?, ?, ?, ?)"
                + " ON CONFLICT (channel, id) DO UPDATE SET address = excluded.address")) {
      upsert.setString(1, channel);
      upsert.setString(2, organization.getId());
      upsert.setString(3, organization.getAddress());
      upsert.setObject(4, time(organization.getCreationDate()));
      upsert.executeUpdate();
    }
  }

  void function(Connection db, String channel, Function function) throws SQLException {
    try (PreparedStatement upsert =
        db.prepareStatement(
            "INSERT INTO functions (key, channel, name, owner, status, description_checksum,"
                + " description_address, archive_checksum, archive_address, image_checksum,"
                + " image_address, process_public, process_authorized_ids, download_public,"
                + " download_authorized_ids, metadata, inputs, outputs, creation_date)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb,"
                + " ?::jsonb, ?)"
                + " ON CONFLICT (key) DO UPDATE SET name = excluded.name, status = excluded.status,"
                + " image_checksum = excluded.image_checksum, image_address = excluded.image_address")) {
      int i = 1;
      upsert.setObject(i++, uuid(function.getKey()));
      upsert.setString(i++, channel);
      upsert.setString(i++, function.getName());
      upsert.setString(i++, function.getOwner());
      upsert.setString(i++, function.getStatus().name());
      upsert.setString(i++, function.getDescription().getChecksum());
      upsert.setString(i++, function.getDescription().getStorageAddress());
      upsert.setString(i++, function.getArchive().getChecksum());
      upsert.setString(i++, function.getArchive().getStorageAddress());
      upsert.setString(i++, function.getImage().getChecksum());
      upsert.setString(i++, function.getImage().getStorageAddress());
      i = permission(upsert, i, function.getPermissions().getProcess());
      i = permission(upsert, i, function.getPermissions().getDownload());
      upsert.setString(i++, json(function.getMetadataMap()));
      Map<String, Object> inputs = new LinkedHashMap<>();
      function
          .getInputsMap()
          .forEach(
              (identifier, input) ->
                  inputs.put(
                      identifier,
                      new JsonObject()
                          .put("kind", input.getKind().name())
                          .put("multiple", input.getMultiple())
                          .put("optional", input.getOptional())));
      upsert.setString(i++, json(inputs));
      Map<String, Object> outputs = new LinkedHashMap<>();
      function
          .getOutputsMap()
          .forEach(
              (identifier, output) ->
                  outputs.put(
                      identifier,
                      new JsonObject()
                          .put("kind", output.getKind().name())
                          .put("multiple", output.getMultiple())));
      upsert.setString(i++, json(outputs));
      upsert.setObject(i, time(function.getCreationDate()));
      upsert.executeUpdate();
    }
  }

  void dataManager(Connection db, String channel, DataManager manager) throws SQLException {
    try (PreparedStatement upsert =
        db.prepareStatement(
            "INSERT INTO data_managers (key, channel, name, owner, description_checksum,"
                + " description_address, opener_checksum, opener_address, process_public,"
                + " process_authorized_ids, download_public, download_authorized_ids, logs_public,"
                + " logs_authorized_ids, metadata, creation_date)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?)"
                + " ON CONFLICT (key) DO UPDATE SET name = excluded.name")) {
      int i = 1;
      upsert.setObject(i++, uuid(manager.getKey()));
      upsert.setString(i++, channel);
      upsert.setString(i++, manager.getName());
      upsert.setString(i++, manager.getOwner());
      upsert.setString(i++, manager.getDescription().getChecksum());
      upsert.setString(i++, manager.getDescription().getStorageAddress());
      upsert.setString(i++, manager.getOpener().getChecksum());
      upsert.setString(i++, manager.getOpener().getStorageAddress());
      i = permission(upsert, i, manager.getPermissions().getProcess());
      i = permission(upsert, i, manager.getPermissions().getDownload());
      i = permission(upsert, i, manager.getLogsPermission());
      upsert.setString(i++, json(manager.getMetadataMap()));
      upsert.setObject(i, time(manager.getCreationDate()));
      upsert.executeUpdate();
    }
  }

  void dataSample(Connection db, String channel, DataSample sample) throws SQLException {
    try (PreparedStatement upsert =
        db.prepareStatement(
            "INSERT INTO data_samples (key, channel, owner, checksum, creation_date)"
                + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING")) {
      upsert.setObject(1, uuid(sample.getKey()));
      upsert.setString(2, channel);
      upsert.setString(3, sample.getOwner());
      upsert.setString(4, sample.getChecksum());
      upsert.setObject(5, time(sample.getCreationDate()));
      upsert.executeUpdate();
    }
    // Links are only ever appended (UpdateDataSamples is a set union that keeps the order).
    try (PreparedStatement link =
        db.prepareStatement(
            "INSERT INTO data_sample_data_managers (data_sample_key, data_manager_key, position)"
                + " VALUES (?, ?, ?) ON CONFLICT DO NOTHING")) {
      for (int position = 0; position < sample.getDataManagerKeysCount(); position++) {
        link.setObject(1, uuid(sample.getKey()));
        link.setObject(2, uuid(sample.getDataManagerKeys(position)));
        link.setInt(3, position);
        link.addBatch();
      }
      link.executeBatch();
    }
  }

  void profilingStep(Connection db, String channel, ProfilingStep step) throws SQLException {
    try (PreparedStatement upsert =
        db.prepareStatement(
            "INSERT INTO function_profiling_steps (function_key, step, channel, duration)"
                + " VALUES (?, ?, ?, ?)"
                + " ON CONFLICT (function_key, step) DO UPDATE SET duration = excluded.duration")) {
      upsert.setObject(1, uuid(step.getAssetKey()));
      upsert.setString(2, step.getStep());
      upsert.setString(3, channel);
      upsert.setLong(4, Integer.toUnsignedLong(step.getDuration()));
      upsert.executeUpdate();
    }
  }
}
