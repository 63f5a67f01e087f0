package org.substra.node.api.datasample;

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

/** Data samples from the read model (REST spec §3.5, §4.5). */
@ApplicationScoped
public class DataSampleReadModel {

  private final Pool pool;
  private final ReadModelTable samples;

  DataSampleReadModel(Pool pool) {
    this.pool = pool;
    this.samples =
        new ReadModelTable(
            pool,
            "data_samples",
            Map.of("creation_date", "creation_date", "key", "key", "owner", "owner"));
  }

  /**
   * Filters {@code key}, {@code owner}, {@code dataset_key} (one key), creation dates; no match.
   */
  @SuppressWarnings("unchecked")
  public Uni<Map<String, Object>> list(String channel, Listing listing) {
    ReadModelTable.Filter filter = samples.common(channel, listing);
    UUID manager = listing.uuid("dataset_key");
    if (manager != null) {
      filter.add(
          "key IN (SELECT data_sample_key FROM read_model.data_sample_data_managers"
              + " WHERE data_manager_key = ?)",
          manager);
    }
    return samples
        .page(filter, listing, DataSampleReadModel::view)
        .flatMap(
            page ->
                withManagerKeys((List<Map<String, Object>>) page.get("results")).replaceWith(page));
  }

  /** The data sample, or null when the channel has none of that key. */
  public Uni<Map<String, Object>> get(String channel, String key) {
    return samples
        .find(channel, key)
        .flatMap(
            row -> {
              if (row == null) {
                return Uni.createFrom().nullItem();
              }
              Map<String, Object> sample = view(row);
              return withManagerKeys(List.of(sample)).replaceWith(sample);
            });
  }

  /** The channel's data samples of {@code keys} by key, as task inputs embed them. */
  public Uni<Map<UUID, Map<String, Object>>> byKeys(String channel, Collection<UUID> keys) {
    return samples
        .findAll(channel, keys)
        .flatMap(
            rows -> {
              Map<UUID, Map<String, Object>> views = new HashMap<>();
              rows.forEach((key, row) -> views.put(key, view(row)));
              return withManagerKeys(new ArrayList<>(views.values())).replaceWith(views);
            });
  }

  /** Adds each sample's {@code data_manager_keys} in the orchestrator's order. */
  private Uni<Void> withManagerKeys(List<Map<String, Object>> page) {
    if (page.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    Map<String, List<String>> keys = new HashMap<>();
    for (Map<String, Object> sample : page) {
      List<String> managers = new ArrayList<>();
      sample.put("data_manager_keys", managers);
      keys.put((String) sample.get("key"), managers);
    }
    UUID[] sampleKeys = keys.keySet().stream().map(UUID::fromString).toArray(UUID[]::new);
    return pool.preparedQuery(
            "SELECT data_sample_key, data_manager_key FROM read_model.data_sample_data_managers"
                + " WHERE data_sample_key = ANY($1) ORDER BY position, data_manager_key")
        .execute(Tuple.of(sampleKeys))
        .invoke(
            rows ->
                rows.forEach(
                    row -> keys.get(row.getUUID(0).toString()).add(row.getUUID(1).toString())))
        .replaceWithVoid();
  }

  private static Map<String, Object> view(Row row) {
    Map<String, Object> sample = new LinkedHashMap<>();
    sample.put("key", row.getUUID("key").toString());
    sample.put("owner", row.getString("owner"));
    sample.put("data_manager_keys", List.of());
    sample.put("creation_date", Dates.format(row.getOffsetDateTime("creation_date")));
    // The server-side path is never served (§3.5): the SDK would check it as a local directory.
    sample.put("path", null);
    return sample;
  }
}
