package org.substra.node.api.computeplan;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.substra.node.api.json.Dates;
import org.substra.node.api.listing.Listing;
import org.substra.node.api.listing.ReadModelTable;
import org.substra.node.api.task.TaskReadModel;

/**
 * Compute plans from the read model (REST spec §3.8, §4.6): status, dates and counters as
 * event-service derives them; {@code duration} and {@code estimated_end_date} depend on the time of
 * the request, so they are computed here.
 */
@ApplicationScoped
public class ComputePlanReadModel {

  static final Set<String> STATUSES =
      Set.of(
          "PLAN_STATUS_CREATED",
          "PLAN_STATUS_DOING",
          "PLAN_STATUS_DONE",
          "PLAN_STATUS_CANCELED",
          "PLAN_STATUS_FAILED");

  private static final String DURATION = TaskReadModel.DURATION;

  private static final Map<String, String> ORDERING =
      Map.ofEntries(
          Map.entry("creation_date", "creation_date"),
          Map.entry("start_date", "start_date"),
          Map.entry("end_date", "end_date"),
          Map.entry("key", "key"),
          Map.entry("owner", "owner"),
          Map.entry("status", "status"),
          Map.entry("tag", "tag"),
          Map.entry("name", "name"),
          Map.entry("duration", DURATION),
          Map.entry("creator", "creator"));

  private static final Map<String, String> PERF_ORDERING =
      Map.of(
          "compute_task_output__task__rank", "t.rank",
          "compute_task_output__task__worker", "t.worker",
          "compute_task_output__task__metadata__round_idx", "t.metadata ->> 'round_idx'");

  private final Pool pool;
  private final ReadModelTable plans;

  ComputePlanReadModel(Pool pool) {
    this.pool = pool;
    this.plans = new ReadModelTable(pool, "compute_plans", ComputePlanReadModel::orderingColumn);
  }

  /** The fixed ordering fields, and {@code metadata__<key>}: that metadata value. */
  private static String orderingColumn(String field) {
    if (field.startsWith("metadata__") && field.length() > "metadata__".length()) {
      // A literal, not a parameter: ORDER BY needs it in the text. Quotes doubled.
      String key = field.substring("metadata__".length()).replace("'", "''");
      return "metadata ->> '" + key + "'";
    }
    return ORDERING.get(field);
  }

  public Uni<Map<String, Object>> list(String channel, Listing listing) {
    return plans.page(filter(channel, listing), listing, ComputePlanReadModel::view);
  }

  /** The plans of §4.6's filters, as conditions on {@code read_model.compute_plans}. */
  public ReadModelTable.Filter filter(String channel, Listing listing) {
    ReadModelTable.Filter filter = plans.common(channel, listing);
    for (String column : List.of("tag", "name")) {
      List<String> values = listing.in(column);
      if (values != null) {
        filter.in(column, values.toArray(String[]::new));
      }
    }
    String[] statuses = listing.choices("status", STATUSES);
    if (statuses != null) {
      filter.in("status", statuses);
    }
    UUID function = listing.uuid("function_key");
    if (function != null) {
      filter.add(
          "key IN (SELECT compute_plan_key FROM read_model.compute_tasks WHERE function_key = ?)",
          function);
    }
    String creator = listing.last("creator");
    if (creator != null && !creator.isEmpty()) {
      filter.add("creator = ?", creator);
    }
    ReadModelTable.runTime(filter, listing, DURATION);
    ReadModelTable.match(filter, listing, "key::text", "name");
    ReadModelTable.metadataFilter(filter, listing);
    return filter;
  }

  /** The distinct metadata keys of the channel's plans, sorted (REST spec §4.12). */
  public Uni<List<String>> metadataKeys(String channel) {
    return pool.preparedQuery(
            "SELECT DISTINCT jsonb_object_keys(metadata) AS name FROM read_model.compute_plans"
                + " WHERE channel = $1 ORDER BY name")
        .execute(Tuple.of(channel))
        .map(
            rows -> {
              List<String> keys = new ArrayList<>();
              rows.forEach(row -> keys.add(row.getString("name")));
              return keys;
            });
  }

  /** The plan, or null when the channel has none of that key. */
  public Uni<Map<String, Object>> get(String channel, String key) {
    return plans.find(channel, key).map(row -> row == null ? null : view(row));
  }

  /**
   * The performances registered by the plan's tasks (not paginated) with the plan's distinct task
   * ranks and rounds; statistics are null for a plan the channel does not have.
   */
  public Uni<Map<String, Object>> performances(String channel, UUID plan, Listing listing) {
    String order =
        listing.orderBy(
            PERF_ORDERING, "t.rank ASC, t.worker ASC", "t.key, p.compute_task_output_identifier");
    Uni<List<Map<String, Object>>> results =
        pool.preparedQuery(
                "SELECT t.key, t.function_key, t.rank, t.metadata ->> 'round_idx' AS round_idx,"
                    + " t.worker, p.compute_task_output_identifier AS identifier,"
                    + " p.performance_value FROM read_model.performances p"
                    + " JOIN read_model.compute_tasks t ON t.key = p.compute_task_key"
                    + " WHERE t.compute_plan_key = $1 AND t.channel = $2 ORDER BY "
                    + order)
            .execute(Tuple.of(plan, channel))
            .map(
                rows -> {
                  List<Map<String, Object>> items = new ArrayList<>();
                  for (Row row : rows) {
                    Map<String, Object> task = new LinkedHashMap<>();
                    task.put("key", row.getUUID("key").toString());
                    task.put("function_key", row.getUUID("function_key").toString());
                    task.put("rank", row.getInteger("rank"));
                    task.put("round_idx", row.getString("round_idx"));
                    task.put("worker", row.getString("worker"));
                    Map<String, Object> item = new LinkedHashMap<>();
                    item.put("compute_task", task);
                    item.put("identifier", row.getString("identifier"));
                    item.put("perf", row.getDouble("performance_value"));
                    items.add(item);
                  }
                  return items;
                });
    Uni<Map<String, Object>> statistics =
        pool.preparedQuery(
                "SELECT array(SELECT DISTINCT rank FROM read_model.compute_tasks"
                    + " WHERE compute_plan_key = p.key ORDER BY rank) AS ranks,"
                    + " array(SELECT DISTINCT metadata ->> 'round_idx' FROM"
                    + " read_model.compute_tasks WHERE compute_plan_key = p.key"
                    + " AND metadata ? 'round_idx' ORDER BY 1) AS rounds"
                    + " FROM read_model.compute_plans p WHERE p.key = $1 AND p.channel = $2")
            .execute(Tuple.of(plan, channel))
            .map(
                rows -> {
                  if (rows.size() == 0) {
                    return null;
                  }
                  Row row = rows.iterator().next();
                  Map<String, Object> stats = new LinkedHashMap<>();
                  stats.put("compute_tasks_distinct_ranks", List.of(row.getArrayOfIntegers(0)));
                  stats.put("compute_tasks_distinct_rounds", List.of(row.getArrayOfStrings(1)));
                  return stats;
                });
    return Uni.combine()
        .all()
        .unis(results, statistics)
        .with(
            (items, stats) -> {
              Map<String, Object> body = new LinkedHashMap<>();
              body.put("results", items);
              body.put("compute_plan_statistics", stats);
              return body;
            });
  }

  private static Map<String, Object> view(Row row) {
    OffsetDateTime start = row.getOffsetDateTime("start_date");
    OffsetDateTime end = row.getOffsetDateTime("end_date");
    String status = row.getString("status");
    long duration = TaskReadModel.duration(start, end);
    int tasks = row.getInteger("task_count");
    int done = row.getInteger("done_count");
    Map<String, Object> plan = new LinkedHashMap<>();
    plan.put("key", row.getUUID("key").toString());
    plan.put("owner", row.getString("owner"));
    plan.put("tag", row.getString("tag"));
    plan.put("name", row.getString("name"));
    plan.put("creator", row.getString("creator"));
    plan.put("creation_date", Dates.format(row.getOffsetDateTime("creation_date")));
    plan.put("start_date", Dates.format(start));
    plan.put("end_date", Dates.format(end));
    plan.put("duration", duration);
    plan.put("metadata", ReadModelTable.json(row, "metadata"));
    UUID failed = row.getUUID("failed_task_key");
    plan.put("failed_task_key", failed == null ? null : failed.toString());
    plan.put("status", status);
    plan.put("task_count", tasks);
    for (String counter :
        List.of(
            "waiting_builder_slot_count",
            "building_count",
            "waiting_parent_tasks_count",
            "waiting_executor_slot_count",
            "executing_count",
            "canceled_count",
            "failed_count",
            "done_count")) {
      plan.put(counter, row.getInteger(counter));
    }
    // An optional key (§7.3): absent while nothing allows an estimate.
    switch (status) {
      case "PLAN_STATUS_DONE", "PLAN_STATUS_FAILED", "PLAN_STATUS_CANCELED" -> {
        if (end != null) {
          plan.put("estimated_end_date", Dates.formatMicros(end));
        }
      }
      case "PLAN_STATUS_DOING" -> {
        if (done > 0 && start != null) {
          long remaining = (tasks - done) * duration / done;
          plan.put(
              "estimated_end_date",
              Dates.formatMicros(OffsetDateTime.now(ZoneOffset.UTC).plusSeconds(remaining)));
        }
      }
      default -> {}
    }
    return plan;
  }
}
