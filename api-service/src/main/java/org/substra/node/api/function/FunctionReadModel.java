package org.substra.node.api.function;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.substra.node.api.json.Dates;
import org.substra.node.api.listing.Listing;
import org.substra.node.api.listing.ReadModelTable;

/** Functions as event-service projects them (schema {@code read_model}, REST spec §3.3, §4.3). */
@ApplicationScoped
public class FunctionReadModel {

  private final ReadModelTable functions;

  private final Pool pool;

  FunctionReadModel(Pool pool) {
    this.pool = pool;
    this.functions =
        new ReadModelTable(
            pool,
            "functions",
            Map.of(
                "creation_date", "creation_date",
                "key", "key",
                "name", "name",
                "owner", "owner"));
  }

  public Uni<Map<String, Object>> list(String channel, Listing listing, String base) {
    return list(channel, listing, base, listing.uuids("compute_plan_key"));
  }

  /** The functions used by tasks of {@code plans} (all functions when null). */
  public Uni<Map<String, Object>> list(String channel, Listing listing, String base, UUID[] plans) {
    ReadModelTable.Filter filter = functions.filter(channel, listing);
    if (plans != null) {
      filter.add(
          "key IN (SELECT function_key FROM read_model.compute_tasks"
              + " WHERE compute_plan_key = ANY(?))",
          (Object) plans);
    }
    return functions.page(filter, listing, row -> view(row, base));
  }

  /** The function, or null when the channel has none of that key. */
  public Uni<Map<String, Object>> get(String channel, String key, String base) {
    return functions.find(channel, key).map(row -> row == null ? null : view(row, base));
  }

  /**
   * The durations of the function's build steps in microseconds (REST spec §4.3 profiling): the
   * total only once both steps are recorded; null when the channel has no such function.
   */
  public Uni<Map<String, Object>> profiling(String channel, String key) {
    return functions
        .find(channel, key)
        .chain(
            function ->
                function == null
                    ? Uni.createFrom().nullItem()
                    : pool.preparedQuery(
                            "SELECT step, duration FROM read_model.function_profiling_steps"
                                + " WHERE function_key = $1 ORDER BY step")
                        .execute(io.vertx.mutiny.sqlclient.Tuple.of(function.getUUID("key")))
                        .map(rows -> profilingView(function.getUUID("key").toString(), rows)));
  }

  private static Map<String, Object> profilingView(
      String key, io.vertx.mutiny.sqlclient.RowSet<Row> rows) {
    List<Map<String, Object>> steps = new java.util.ArrayList<>();
    long total = 0;
    java.util.Set<String> names = new java.util.HashSet<>();
    for (Row row : rows) {
      Map<String, Object> step = new LinkedHashMap<>();
      step.put("step", row.getString("step"));
      step.put("duration", row.getLong("duration"));
      steps.add(step);
      names.add(row.getString("step"));
      total += row.getLong("duration");
    }
    Map<String, Object> profiling = new LinkedHashMap<>();
    profiling.put("function_key", key);
    profiling.put("execution_rundown", steps);
    profiling.put(
        "duration", names.containsAll(List.of("build_image", "save_function")) ? total : null);
    return profiling;
  }

  /** The channel's functions of {@code keys} by key, as tasks embed them. */
  public Uni<Map<UUID, Map<String, Object>>> byKeys(
      String channel, Collection<UUID> keys, String base) {
    return functions
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
    String address = base + "/function/" + key;
    Map<String, Object> function = new LinkedHashMap<>();
    function.put("key", key);
    function.put("name", row.getString("name"));
    function.put("owner", row.getString("owner"));
    function.put("permissions", ReadModelTable.permissions(row));
    function.put("metadata", ReadModelTable.json(row, "metadata"));
    function.put("creation_date", Dates.format(row.getOffsetDateTime("creation_date")));
    function.put(
        "description",
        ReadModelTable.addressable(
            row.getString("description_checksum"), address + "/description/"));
    function.put(
        "archive",
        ReadModelTable.addressable(row.getString("archive_checksum"), address + "/file/"));
    function.put("inputs", new TreeMap<>(ReadModelTable.json(row, "inputs")));
    function.put("outputs", new TreeMap<>(ReadModelTable.json(row, "outputs")));
    function.put("status", row.getString("status"));
    return function;
  }
}
