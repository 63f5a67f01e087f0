package org.substra.node.api.task;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.substra.node.api.function.FunctionReadModel;
import org.substra.node.api.json.Dates;
import org.substra.node.api.listing.Listing;
import org.substra.node.api.listing.ReadModelTable;

/** Compute tasks from the read model (REST spec §3.7, §4.7). */
@ApplicationScoped
public class TaskReadModel {

  static final Set<String> STATUSES =
      Set.of(
          "STATUS_WAITING_FOR_BUILDER_SLOT",
          "STATUS_BUILDING",
          "STATUS_WAITING_FOR_PARENT_TASKS",
          "STATUS_WAITING_FOR_EXECUTOR_SLOT",
          "STATUS_EXECUTING",
          "STATUS_DONE",
          "STATUS_CANCELED",
          "STATUS_FAILED");

  /** Seconds run so far, truncated (§7.3): a task not started has run 0. */
  public static final String DURATION =
      "floor(extract(epoch FROM coalesce(coalesce(end_date, now()) - start_date, interval '0')))";

  private static final Map<String, String> ORDERING =
      Map.ofEntries(
          Map.entry("creation_date", "creation_date"),
          Map.entry("start_date", "start_date"),
          Map.entry("end_date", "end_date"),
          Map.entry("key", "key"),
          Map.entry("owner", "owner"),
          Map.entry("rank", "rank"),
          Map.entry("status", "status"),
          Map.entry("tag", "tag"),
          Map.entry("compute_plan_key", "compute_plan_key"),
          Map.entry(
              "function__name",
              "(SELECT f.name FROM read_model.functions f"
                  + " WHERE f.key = compute_tasks.function_key)"),
          Map.entry("duration", DURATION));

  private final Pool pool;
  private final ReadModelTable tasks;
  private final FunctionReadModel functions;

  TaskReadModel(Pool pool, FunctionReadModel functions) {
    this.pool = pool;
    this.tasks = new ReadModelTable(pool, "compute_tasks", ORDERING);
    this.functions = functions;
  }

  /** {@code GET /task/}; {@code plan}, when not null, restricts it to one plan's tasks. */
  @SuppressWarnings("unchecked")
  public Uni<Map<String, Object>> list(String channel, UUID plan, Listing listing, String base) {
    ReadModelTable.Filter filter = filter(channel, listing);
    if (plan != null) {
      filter.add("compute_plan_key = ?", plan);
    }
    return tasks
        .page(filter, listing, TaskReadModel::view)
        .flatMap(
            page ->
                complete(channel, (List<Map<String, Object>>) page.get("results"), base)
                    .replaceWith(page));
  }

  /** The task, or null when the channel has none of that key. */
  public Uni<Map<String, Object>> get(String channel, String key, String base) {
    return tasks
        .find(channel, key)
        .flatMap(
            row -> {
              if (row == null) {
                return Uni.createFrom().nullItem();
              }
              Map<String, Object> task = view(row);
              return complete(channel, List.of(task), base).replaceWith(task);
            });
  }

  private ReadModelTable.Filter filter(String channel, Listing listing) {
    ReadModelTable.Filter filter = tasks.common(channel, listing);
    Integer[] ranks = listing.integers("rank");
    if (ranks != null) {
      filter.in("rank", ranks);
    }
    for (String column : List.of("worker", "tag")) {
      List<String> values = listing.in(column);
      if (values != null) {
        filter.in(column, values.toArray(String[]::new));
      }
    }
    String[] statuses = listing.choices("status", STATUSES);
    if (statuses != null) {
      filter.in("status", statuses);
    }
    UUID[] plans = listing.uuids("compute_plan_key");
    if (plans != null) {
      filter.in("compute_plan_key", plans);
    }
    UUID function = listing.uuid("function_key");
    if (function != null) {
      filter.add("function_key = ?", function);
    }
    ReadModelTable.runTime(filter, listing, DURATION);
    ReadModelTable.match(filter, listing, "key::text");
    ReadModelTable.metadataFilter(filter, listing);
    return filter;
  }

  /** Embeds each task's function, inputs in submission order and outputs. */
  private Uni<Void> complete(String channel, List<Map<String, Object>> page, String base) {
    if (page.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    Map<String, Map<String, Object>> byKey = new HashMap<>();
    Set<UUID> functionKeys = new LinkedHashSet<>();
    for (Map<String, Object> task : page) {
      byKey.put((String) task.get("key"), task);
      functionKeys.add(UUID.fromString((String) task.get("function")));
    }
    UUID[] keys = byKey.keySet().stream().map(UUID::fromString).toArray(UUID[]::new);
    Uni<Map<UUID, Map<String, Object>>> embedded = functions.byKeys(channel, functionKeys, base);
    Uni<RowSet<Row>> inputs =
        pool.preparedQuery(
                "SELECT compute_task_key, identifier, asset_key, parent_task_key,"
                    + " parent_task_output_identifier FROM read_model.compute_task_inputs"
                    + " WHERE compute_task_key = ANY($1) ORDER BY compute_task_key, position")
            .execute(Tuple.of(keys));
    Uni<RowSet<Row>> outputs =
        pool.preparedQuery(
                "SELECT * FROM read_model.compute_task_outputs WHERE compute_task_key = ANY($1)")
            .execute(Tuple.of(keys));
    return Uni.combine()
        .all()
        .unis(embedded, inputs, outputs)
        .with(
            (functionViews, inputRows, outputRows) -> {
              for (Map<String, Object> task : page) {
                task.put(
                    "function", functionViews.get(UUID.fromString((String) task.get("function"))));
              }
              for (Row row : inputRows) {
                Map<String, Object> input = new LinkedHashMap<>();
                input.put("identifier", row.getString("identifier"));
                input.put("asset_key", text(row.getUUID("asset_key")));
                input.put("parent_task_key", text(row.getUUID("parent_task_key")));
                input.put(
                    "parent_task_output_identifier",
                    row.getString("parent_task_output_identifier"));
                inputsOf(byKey, row).add(input);
              }
              for (Row row : outputRows) {
                Map<String, Object> output = new LinkedHashMap<>();
                output.put("permissions", ReadModelTable.permissions(row));
                output.put("transient", row.getBoolean("transient"));
                outputsOf(byKey, row).put(row.getString("identifier"), output);
              }
              return null;
            })
        .replaceWithVoid();
  }

  @SuppressWarnings("unchecked")
  private static List<Object> inputsOf(Map<String, Map<String, Object>> tasks, Row row) {
    return (List<Object>) tasks.get(row.getUUID("compute_task_key").toString()).get("inputs");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> outputsOf(Map<String, Map<String, Object>> tasks, Row row) {
    return (Map<String, Object>)
        tasks.get(row.getUUID("compute_task_key").toString()).get("outputs");
  }

  /** The task's own columns; {@code function} holds its key until {@link #complete} embeds it. */
  private static Map<String, Object> view(Row row) {
    OffsetDateTime start = row.getOffsetDateTime("start_date");
    OffsetDateTime end = row.getOffsetDateTime("end_date");
    Map<String, Object> task = new LinkedHashMap<>();
    task.put("key", row.getUUID("key").toString());
    task.put("function", row.getUUID("function_key").toString());
    task.put("owner", row.getString("owner"));
    task.put("compute_plan_key", row.getUUID("compute_plan_key").toString());
    task.put("metadata", ReadModelTable.json(row, "metadata"));
    task.put("status", row.getString("status"));
    task.put("worker", row.getString("worker"));
    task.put("rank", row.getInteger("rank"));
    task.put("tag", row.getString("tag"));
    task.put("creation_date", Dates.format(row.getOffsetDateTime("creation_date")));
    task.put("start_date", Dates.format(start));
    task.put("end_date", Dates.format(end));
    task.put("error_type", row.getString("error_type"));
    task.put("logs_permission", ReadModelTable.permission(row, "logs"));
    task.put("duration", duration(start, end));
    task.put("inputs", new ArrayList<>());
    task.put("outputs", new TreeMap<String, Object>());
    return task;
  }

  /** Whole seconds from start to end (or now while running); 0 before the start (§7.3). */
  public static long duration(OffsetDateTime start, OffsetDateTime end) {
    if (start == null) {
      return 0;
    }
    return Math.max(
        0, Duration.between(start, end == null ? OffsetDateTime.now() : end).toSeconds());
  }

  private static String text(UUID uuid) {
    return uuid == null ? null : uuid.toString();
  }
}
