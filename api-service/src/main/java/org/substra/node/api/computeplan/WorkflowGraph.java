package org.substra.node.api.computeplan;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.substra.node.api.error.ApiException;
import org.substra.node.api.listing.ReadModelTable;

/** A plan's tasks and the edges between their outputs and inputs (REST spec §4.6, UI). */
@ApplicationScoped
public class WorkflowGraph {

  static final int MAX_TASKS = 5000;

  private final Pool pool;

  WorkflowGraph(Pool pool) {
    this.pool = pool;
  }

  public Uni<Map<String, Object>> of(String channel, UUID plan) {
    return pool.preparedQuery(
            "SELECT count(*) FROM read_model.compute_tasks"
                + " WHERE compute_plan_key = $1 AND channel = $2")
        .execute(Tuple.of(plan, channel))
        .chain(
            counted -> {
              if (counted.iterator().next().getLong(0) > MAX_TASKS) {
                throw ApiException.detail(
                    403, "Cannot build workflow graph for more than " + MAX_TASKS + " tasks.");
              }
              return pool.preparedQuery(
                      "SELECT t.key, t.rank, t.worker, t.status, f.name, f.inputs, f.outputs"
                          + " FROM read_model.compute_tasks t"
                          + " JOIN read_model.functions f ON f.key = t.function_key"
                          + " WHERE t.compute_plan_key = $1 AND t.channel = $2"
                          + " ORDER BY t.rank, t.creation_date, t.key")
                  .execute(Tuple.of(plan, channel));
            })
        .chain(
            tasks ->
                pool.preparedQuery(
                        "SELECT i.parent_task_key, i.parent_task_output_identifier,"
                            + " i.compute_task_key, i.identifier"
                            + " FROM read_model.compute_task_inputs i"
                            + " JOIN read_model.compute_tasks t ON t.key = i.compute_task_key"
                            + " WHERE t.compute_plan_key = $1 AND t.channel = $2"
                            + " AND i.parent_task_key IS NOT NULL"
                            + " ORDER BY t.rank, i.compute_task_key, i.position")
                    .execute(Tuple.of(plan, channel))
                    .map(edges -> graph(tasks, edges)));
  }

  private static Map<String, Object> graph(Iterable<Row> tasks, Iterable<Row> edges) {
    List<Map<String, Object>> nodes = new ArrayList<>();
    for (Row row : tasks) {
      Map<String, Object> node = new LinkedHashMap<>();
      node.put("key", row.getUUID("key").toString());
      node.put("rank", row.getInteger("rank"));
      node.put("function_name", row.getString("name"));
      node.put("worker", row.getString("worker"));
      node.put("status", row.getString("status"));
      node.put("inputs_specs", specs(ReadModelTable.json(row, "inputs")));
      node.put("outputs_specs", specs(ReadModelTable.json(row, "outputs")));
      nodes.add(node);
    }
    List<Map<String, Object>> links = new ArrayList<>();
    for (Row row : edges) {
      Map<String, Object> edge = new LinkedHashMap<>();
      edge.put("source_task_key", row.getUUID("parent_task_key").toString());
      edge.put("source_output_identifier", row.getString("parent_task_output_identifier"));
      edge.put("target_task_key", row.getUUID("compute_task_key").toString());
      edge.put("target_input_identifier", row.getString("identifier"));
      links.add(edge);
    }
    Map<String, Object> graph = new LinkedHashMap<>();
    graph.put("tasks", nodes);
    graph.put("edges", links);
    return graph;
  }

  /** A function's declared inputs or outputs as {@code [{identifier, kind}]}, by identifier. */
  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> specs(Map<String, Object> declared) {
    List<Map<String, Object>> specs = new ArrayList<>();
    new TreeMap<>(declared)
        .forEach(
            (identifier, declaration) -> {
              Map<String, Object> spec = new LinkedHashMap<>();
              spec.put("identifier", identifier);
              spec.put(
                  "kind",
                  declaration instanceof JsonObject object
                      ? object.getValue("kind")
                      : ((Map<String, Object>) declaration).get("kind"));
              specs.add(spec);
            });
    return specs;
  }
}
