package org.substra.node.api.task;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.substra.node.api.datamanager.DataManagerReadModel;
import org.substra.node.api.datasample.DataSampleReadModel;
import org.substra.node.api.json.Dates;
import org.substra.node.api.listing.Listing;
import org.substra.node.api.listing.QueryPage;
import org.substra.node.api.listing.QueryPage.Page;
import org.substra.node.api.listing.ReadModelTable;
import org.substra.node.api.model.ModelReadModel;

/**
 * The assets a task reads and produces (REST spec §3.10, §4.7): inputs resolved to data managers,
 * data samples and models (a parent's output once the parent registered it), outputs as models and
 * performances.
 */
@ApplicationScoped
public class TaskAssetReadModel {

  private static final Set<String> KINDS =
      Set.of("ASSET_MODEL", "ASSET_PERFORMANCE", "ASSET_DATA_MANAGER", "ASSET_DATA_SAMPLE");

  /** One row per resolved input asset of the task {@code :task} of channel {@code :channel}. */
  private static final String INPUTS =
      "SELECT i.identifier, i.position, coalesce(i.asset_key, a.asset_key::uuid) AS asset_key,"
          + " CASE WHEN i.asset_key IS NULL THEN a.asset_kind"
          + " ELSE f.inputs -> i.identifier ->> 'kind' END AS kind,"
          + " coalesce(a.position, 0) AS registered"
          + " FROM read_model.compute_tasks t"
          + " JOIN read_model.compute_task_inputs i ON i.compute_task_key = t.key"
          + " LEFT JOIN read_model.functions f ON f.key = t.function_key"
          // Only models feed inputs; a performance key ("<task>|<identifier>") is no uuid.
          + " LEFT JOIN read_model.compute_task_output_assets a ON i.asset_key IS NULL"
          + " AND a.compute_task_key = i.parent_task_key"
          + " AND a.identifier = i.parent_task_output_identifier AND a.asset_kind = 'ASSET_MODEL'"
          + " WHERE t.key = :task AND t.channel = :channel"
          + " AND (i.asset_key IS NOT NULL OR a.asset_key IS NOT NULL)";

  private static final String OUTPUTS =
      "SELECT a.identifier, a.asset_kind AS kind, a.asset_key, a.position"
          + " FROM read_model.compute_tasks t"
          + " JOIN read_model.compute_task_output_assets a ON a.compute_task_key = t.key"
          + " WHERE t.key = :task AND t.channel = :channel";

  private final Pool pool;
  private final DataManagerReadModel managers;
  private final DataSampleReadModel samples;
  private final ModelReadModel models;

  TaskAssetReadModel(
      Pool pool,
      DataManagerReadModel managers,
      DataSampleReadModel samples,
      ModelReadModel models) {
    this.pool = pool;
    this.managers = managers;
    this.samples = samples;
    this.models = models;
  }

  /** Ordered by input identifier, then input position; an unknown task has none. */
  public Uni<Map<String, Object>> inputs(
      String channel, String task, Listing listing, String base) {
    return page(INPUTS, "identifier, position, registered, asset_key", channel, task, listing)
        .flatMap(rows -> resolve(channel, rows, base, listing));
  }

  /** Ordered by output identifier, then registration; an unknown task has none. */
  public Uni<Map<String, Object>> outputs(
      String channel, String task, Listing listing, String base) {
    return page(OUTPUTS, "identifier, position, asset_key", channel, task, listing)
        .flatMap(rows -> resolve(channel, rows, base, listing));
  }

  private Uni<Page> page(
      String assets, String order, String channel, String task, Listing listing) {
    UUID key = ReadModelTable.uuid(task);
    if (key == null) {
      return Uni.createFrom().item(new Page(0, List.of()));
    }
    ReadModelTable.Filter filter = new ReadModelTable.Filter();
    filter.add("true");
    List<String> kinds = listing.in("kind");
    if (kinds != null) {
      // Unknown kinds are ignored as in the reference, not an error.
      String[] known = kinds.stream().filter(KINDS::contains).toArray(String[]::new);
      if (known.length > 0) {
        filter.in("kind", known);
      }
    }
    List<String> identifiers = listing.in("identifier");
    if (identifiers != null) {
      filter.in("identifier", identifiers.toArray(String[]::new));
    }
    // The filter's placeholders are numbered from 1: the asset query's two go after them.
    List<Object> all = new ArrayList<>(filter.params());
    all.add(key);
    String shifted = assets.replace(":task", "$" + all.size());
    all.add(channel);
    shifted = shifted.replace(":channel", "$" + all.size());
    String from = "FROM (" + shifted + ") r WHERE " + filter.sql();
    return QueryPage.rows(pool, "r.*", from, all, order, listing);
  }

  /** Items {@code {identifier, kind, asset}} with each asset as its own endpoint serves it. */
  private Uni<Map<String, Object>> resolve(
      String channel, Page page, String base, Listing listing) {
    Map<String, Set<UUID>> keys = new HashMap<>();
    Set<String> performances = new HashSet<>();
    for (Row row : page.rows()) {
      String kind = row.getString("kind");
      if ("ASSET_PERFORMANCE".equals(kind)) {
        performances.add(row.getValue("asset_key").toString());
      } else {
        keys.computeIfAbsent(kind, k -> new HashSet<>())
            .add(UUID.fromString(row.getValue("asset_key").toString()));
      }
    }
    return Uni.combine()
        .all()
        .unis(
            managers.byKeys(channel, keys.getOrDefault("ASSET_DATA_MANAGER", Set.of()), base),
            samples.byKeys(channel, keys.getOrDefault("ASSET_DATA_SAMPLE", Set.of())),
            models.byKeys(channel, keys.getOrDefault("ASSET_MODEL", Set.of()), base),
            performances(channel, performances))
        .with(
            (managerViews, sampleViews, modelViews, performanceViews) -> {
              List<Map<String, Object>> items = new ArrayList<>();
              for (Row row : page.rows()) {
                String kind = row.getString("kind");
                String assetKey = row.getValue("asset_key").toString();
                Object asset =
                    switch (kind == null ? "" : kind) {
                      case "ASSET_DATA_MANAGER" -> managerViews.get(UUID.fromString(assetKey));
                      case "ASSET_DATA_SAMPLE" -> sampleViews.get(UUID.fromString(assetKey));
                      case "ASSET_MODEL" -> modelViews.get(UUID.fromString(assetKey));
                      case "ASSET_PERFORMANCE" -> performanceViews.get(assetKey);
                      default -> null;
                    };
                Map<String, Object> item = new LinkedHashMap<>();
                item.put("identifier", row.getString("identifier"));
                item.put("kind", kind);
                item.put("asset", asset);
                items.add(item);
              }
              return listing.envelope(page.count(), items);
            });
  }

  /** Performances by their output-asset key {@code <task key>|<identifier>}. */
  private Uni<Map<String, Map<String, Object>>> performances(String channel, Set<String> keys) {
    if (keys.isEmpty()) {
      return Uni.createFrom().item(Map.of());
    }
    List<UUID> tasks = new ArrayList<>();
    List<String> identifiers = new ArrayList<>();
    for (String key : keys) {
      int bar = key.indexOf('|');
      tasks.add(UUID.fromString(key.substring(0, bar)));
      identifiers.add(key.substring(bar + 1));
    }
    return pool.preparedQuery(
            "SELECT p.* FROM read_model.performances p"
                + " JOIN unnest($1::uuid[], $2::text[]) AS k(task, identifier)"
                + " ON p.compute_task_key = k.task AND p.compute_task_output_identifier ="
                + " k.identifier WHERE p.channel = $3")
        .execute(Tuple.of(tasks.toArray(UUID[]::new), identifiers.toArray(String[]::new), channel))
        .map(
            rows -> {
              Map<String, Map<String, Object>> views = new HashMap<>();
              for (Row row : rows) {
                Map<String, Object> performance = new LinkedHashMap<>();
                performance.put("channel", row.getString("channel"));
                performance.put("compute_task_key", row.getUUID("compute_task_key").toString());
                String identifier = row.getString("compute_task_output_identifier");
                performance.put("compute_task_output_identifier", identifier);
                performance.put(
                    "creation_date", Dates.format(row.getOffsetDateTime("creation_date")));
                performance.put("performance_value", row.getDouble("performance_value"));
                views.put(row.getUUID("compute_task_key") + "|" + identifier, performance);
              }
              return views;
            });
  }
}
