package org.substra.node.scheduler.storage;

import io.agroal.api.AgroalDataSource;
import jakarta.inject.Singleton;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

/**
 * Which asset keys event-service's read model (schema {@code read_model}) still needs files for.
 */
@Singleton
public class RegisteredAssetRepository {

  private final AgroalDataSource dataSource;

  RegisteredAssetRepository(AgroalDataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** The keys among {@code keys} whose files are still needed. */
  public Set<UUID> needed(AssetKind kind, Collection<UUID> keys) throws SQLException {
    if (keys.isEmpty()) {
      return Set.of();
    }
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select = connection.prepareStatement(query(kind))) {
      Array array = connection.createArrayOf("uuid", keys.toArray());
      select.setArray(1, array);
      if (kind == AssetKind.ASSET_LOGS) {
        select.setArray(2, array);
      }
      Set<UUID> needed = new HashSet<>();
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          needed.add(rows.getObject(1, UUID.class));
        }
      }
      return needed;
    }
  }

  private static String query(AssetKind kind) {
    return switch (kind) {
      case FUNCTION -> "SELECT key FROM read_model.functions WHERE key = ANY(?)";
      case DATA_MANAGER -> "SELECT key FROM read_model.data_managers WHERE key = ANY(?)";
      case DATA_SAMPLE -> "SELECT key FROM read_model.data_samples WHERE key = ANY(?)";
      // A disabled model (address cleared on EVENT_ASSET_DISABLED) is an intermediary model no
      // longer needed: its file goes like an orphan's.
      case MODEL -> "SELECT key FROM read_model.models WHERE key = ANY(?) AND address IS NOT NULL";
      // Failure logs belong to a task, or to a function whose build failed.
      case ASSET_LOGS ->
          "SELECT key FROM read_model.compute_tasks WHERE key = ANY(?)"
              + " UNION SELECT key FROM read_model.functions WHERE key = ANY(?)";
    };
  }
}
