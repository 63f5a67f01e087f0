package org.substra.node.api.profiling;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.substra.node.api.listing.Listing;
import org.substra.node.api.listing.QueryPage;

/** {@code api.task_profiling} and its steps, with the task's end from the read model. */
@ApplicationScoped
public class TaskProfilingRepository {

  /** A legacy step of the reference that its API hides. */
  static final String HIDDEN_STEP = "build_image";

  private static final String COLUMNS =
      "p.compute_task_key, p.created_at, t.end_date,"
          + " coalesce((SELECT json_agg(json_build_object('step', s.step, 'duration', s.duration)"
          + " ORDER BY s.recorded_at, s.step) FROM api.task_profiling_steps s"
          + " WHERE s.compute_task_key = p.compute_task_key AND s.step <> '"
          + HIDDEN_STEP
          + "')::text, '[]') AS steps";
  private static final String FROM =
      "FROM api.task_profiling p"
          + " LEFT JOIN read_model.compute_tasks t ON t.key = p.compute_task_key";

  private final Pool pool;

  TaskProfilingRepository(Pool pool) {
    this.pool = pool;
  }

  public Uni<Map<String, Object>> page(String channel, Listing listing) {
    return QueryPage.of(
        pool,
        COLUMNS,
        FROM + " WHERE p.channel = $1",
        List.of(channel),
        "p.created_at, p.compute_task_key",
        listing,
        TaskProfilingRepository::view);
  }

  /** The task's profiling, or null. */
  public Uni<Map<String, Object>> find(String channel, UUID task) {
    return pool.preparedQuery(
            "SELECT " + COLUMNS + " " + FROM + " WHERE p.channel = $1 AND p.compute_task_key = $2")
        .execute(Tuple.of(channel, task))
        .map(rows -> rows.size() == 0 ? null : view(rows.iterator().next()));
  }

  /** Starts the task's profiling; false when it had one. */
  public Uni<Boolean> create(String channel, UUID task) {
    return pool.preparedQuery(
            "INSERT INTO api.task_profiling (compute_task_key, channel) VALUES ($1, $2)"
                + " ON CONFLICT (compute_task_key) DO NOTHING")
        .execute(Tuple.of(task, channel))
        .map(rows -> rows.rowCount() == 1);
  }

  /** Restarts (or starts) the task's profiling now, its steps kept. */
  public Uni<Void> restart(String channel, UUID task) {
    return pool.preparedQuery(
            "INSERT INTO api.task_profiling (compute_task_key, channel) VALUES ($1, $2)"
                + " ON CONFLICT (compute_task_key) DO UPDATE SET created_at = now()")
        .execute(Tuple.of(task, channel))
        .replaceWithVoid();
  }

  /** Records a step; false when the task already has it (or has no profiling: see caller). */
  public Uni<Boolean> addStep(UUID task, String step, long duration, boolean replace) {
    return pool.preparedQuery(
            "INSERT INTO api.task_profiling_steps (compute_task_key, step, duration)"
                + " VALUES ($1, $2, $3) ON CONFLICT (compute_task_key, step) DO "
                + (replace ? "UPDATE SET duration = excluded.duration" : "NOTHING"))
        .execute(Tuple.of(task, step, duration))
        .map(rows -> rows.rowCount() == 1);
  }

  private static Map<String, Object> view(Row row) {
    OffsetDateTime start = row.getOffsetDateTime("created_at");
    OffsetDateTime end = row.getOffsetDateTime("end_date");
    List<Object> steps = new ArrayList<>();
    new io.vertx.core.json.JsonArray(row.getString("steps")).forEach(steps::add);
    List<Map<String, Object>> rundown = new ArrayList<>();
    for (Object step : steps) {
      io.vertx.core.json.JsonObject object = (io.vertx.core.json.JsonObject) step;
      Map<String, Object> item = new LinkedHashMap<>();
      item.put("step", object.getString("step"));
      item.put("duration", object.getLong("duration"));
      rundown.add(item);
    }
    Map<String, Object> profiling = new LinkedHashMap<>();
    profiling.put("compute_task_key", row.getUUID("compute_task_key").toString());
    profiling.put(
        "task_duration",
        end == null ? null : java.time.Duration.between(start, end).toNanos() / 1000);
    profiling.put("execution_rundown", rundown);
    return profiling;
  }
}
