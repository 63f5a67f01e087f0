package org.substra.node.api.datamanager;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.substra.node.api.json.Dates;
import org.substra.node.api.listing.Listing;
import org.substra.node.api.listing.ReadModelTable;

/** Data managers (the SDK's datasets) from the read model (REST spec §3.4, §4.4). */
@ApplicationScoped
public class DataManagerReadModel {

  private final Pool pool;
  private final ReadModelTable managers;

  DataManagerReadModel(Pool pool) {
    this.pool = pool;
    this.managers =
        new ReadModelTable(
            pool,
            "data_managers",
            Map.of(
                "creation_date", "creation_date",
                "key", "key",
                "name", "name",
                "owner", "owner"));
  }

  @SuppressWarnings("unchecked")
  public Uni<Map<String, Object>> list(String channel, Listing listing, String base) {
    ReadModelTable.Filter filter = managers.filter(channel, listing);
    UUID[] samples = listing.uuids("data_sample_key");
    if (samples != null) {
      filter.add(
          "key IN (SELECT data_manager_key FROM read_model.data_sample_data_managers"
              + " WHERE data_sample_key = ANY(?))",
          (Object) samples);
    }
    ReadModelTable.permissionFilter(filter, listing, "can_access_logs", "logs");
    return managers
        .page(filter, listing, row -> view(row, base))
        .flatMap(
            page ->
                withSampleKeys((List<Map<String, Object>>) page.get("results")).replaceWith(page));
  }

  /** The data manager with its samples, or null when the channel has none of that key. */
  public Uni<Map<String, Object>> get(String channel, String key, String base) {
    return managers
        .find(channel, key)
        .flatMap(
            row -> {
              if (row == null) {
                return Uni.createFrom().nullItem();
              }
              Map<String, Object> manager = view(row, base);
              return withSampleKeys(List.of(manager)).replaceWith(manager);
            });
  }

  /** The channel's data managers of {@code keys} by key, as task inputs embed them (no samples). */
  public Uni<Map<UUID, Map<String, Object>>> byKeys(
      String channel, Collection<UUID> keys, String base) {
    return managers
        .findAll(channel, keys)
        .map(
            rows -> {
              Map<UUID, Map<String, Object>> views = new HashMap<>();
              rows.forEach((key, row) -> views.put(key, view(row, base)));
              return views;
            });
  }

  /** Adds each manager's {@code data_sample_keys}, oldest sample first. */
  private Uni<Void> withSampleKeys(List<Map<String, Object>> page) {
    if (page.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    Map<String, List<String>> keys = new HashMap<>();
    List<UUID> managerKeys = new ArrayList<>();
    for (Map<String, Object> manager : page) {
      List<String> samples = new ArrayList<>();
      manager.put("data_sample_keys", samples);
      keys.put((String) manager.get("key"), samples);
      managerKeys.add(UUID.fromString((String) manager.get("key")));
    }
    return pool.preparedQuery(
            "SELECT l.data_manager_key, l.data_sample_key FROM read_model.data_sample_data_managers"
                + " l JOIN read_model.data_samples s ON s.key = l.data_sample_key"
                + " WHERE l.data_manager_key = ANY($1) ORDER BY s.creation_date, s.key")
        .execute(Tuple.of(managerKeys.toArray(UUID[]::new)))
        .invoke(
            rows ->
                rows.forEach(
                    row -> keys.get(row.getUUID(0).toString()).add(row.getUUID(1).toString())))
        .replaceWithVoid();
  }

  private static Map<String, Object> view(Row row, String base) {
    String key = row.getUUID("key").toString();
    String address = base + "/data_manager/" + key;
    Map<String, Object> manager = new LinkedHashMap<>();
    manager.put("key", key);
    manager.put("name", row.getString("name"));
    manager.put("owner", row.getString("owner"));
    manager.put("permissions", ReadModelTable.permissions(row));
    manager.put(
        "description",
        ReadModelTable.addressable(
            row.getString("description_checksum"), address + "/description/"));
    manager.put(
        "opener",
        ReadModelTable.addressable(row.getString("opener_checksum"), address + "/opener/"));
    manager.put("metadata", ReadModelTable.json(row, "metadata"));
    manager.put("creation_date", Dates.format(row.getOffsetDateTime("creation_date")));
    manager.put("logs_permission", ReadModelTable.permission(row, "logs"));
    return manager;
  }
}
