package org.substra.node.api.model;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.substra.node.api.json.Dates;
import org.substra.node.api.listing.Listing;
import org.substra.node.api.listing.ReadModelTable;

/** Task output models from the read model (REST spec §3.6, §4.8). */
@ApplicationScoped
public class ModelReadModel {

  private final ReadModelTable models;

  ModelReadModel(Pool pool) {
    this.models =
        new ReadModelTable(pool, "models", Map.of("creation_date", "creation_date", "key", "key"));
  }

  /**
   * Filters {@code key}, {@code owner}, {@code compute_task_key} (in), {@code compute_task} (one
   * key), creation dates; no match and no permission filter, as in the reference.
   */
  public Uni<Map<String, Object>> list(String channel, Listing listing, String base) {
    ReadModelTable.Filter filter = models.common(channel, listing);
    UUID[] tasks = listing.uuids("compute_task_key");
    if (tasks != null) {
      filter.in("compute_task_key", tasks);
    }
    UUID task = listing.uuid("compute_task");
    if (task != null) {
      filter.add("compute_task_key = ?", task);
    }
    return models.page(filter, listing, row -> view(row, base));
  }

  /** The model, or null when the channel has none of that key. */
  public Uni<Map<String, Object>> get(String channel, String key, String base) {
    return models.find(channel, key).map(row -> row == null ? null : view(row, base));
  }

  /** The channel's models of {@code keys} by key, as task assets embed them. */
  public Uni<Map<UUID, Map<String, Object>>> byKeys(
      String channel, Collection<UUID> keys, String base) {
    return models
        .findAll(channel, keys)
        .map(
            rows -> {
              Map<UUID, Map<String, Object>> views = new HashMap<>();
              rows.forEach((key, row) -> views.put(key, view(row, base)));
              return views;
            });
  }

  private static Map<String, Object> view(Row row, String base) {
    String key = row.getUUID("key").toString();
    Map<String, Object> model = new LinkedHashMap<>();
    model.put("key", key);
    model.put("compute_task_key", row.getUUID("compute_task_key").toString());
    // A disabled model (its file deleted) has no address: substra-tests waits for that null.
    model.put(
        "address",
        row.getString("address") == null
            ? null
            : ReadModelTable.addressable(
                row.getString("address_checksum"), base + "/model/" + key + "/file/"));
    model.put("permissions", ReadModelTable.permissions(row));
    model.put("owner", row.getString("owner"));
    model.put("creation_date", Dates.format(row.getOffsetDateTime("creation_date")));
    return model;
  }
}
