package org.substra.node.orchestrator.computetask;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.substra.node.orchestrator.asset.Validator;
import org.substra.node.orchestrator.protocol.ComputeTask;
import org.substra.node.orchestrator.protocol.ComputeTaskInput;
import org.substra.node.orchestrator.protocol.ComputeTaskStatus;
import org.substra.node.orchestrator.protocol.TaskQueryFilter;
import org.substra.node.orchestrator.storage.Page;
import org.substra.node.orchestrator.storage.SnapshotTable;
import org.substra.node.orchestrator.storage.Tx;

@ApplicationScoped
public class TaskRepository {

  private static final Logger LOG = Logger.getLogger(TaskRepository.class);

  private final Pool pool;

  TaskRepository(Pool pool) {
    this.pool = pool;
  }

  /**
   * Refreshes the planner's statistics and the visibility map after a large batch, in the
   * background: until autovacuum notices (a minute or more, never where it is off) a big new plan
   * gets sorted scans instead of ordered index-only scans, and QueryTasks on it slows down tenfold.
   */
  public void refreshStatistics() {
    pool.query("VACUUM (ANALYZE) compute_tasks, compute_task_parents")
        .execute()
        .subscribe()
        .with(done -> {}, failure -> LOG.warn("VACUUM ANALYZE compute_tasks failed", failure));
  }

  private final SnapshotTable<ComputeTask> tasks =
      new SnapshotTable<>("compute_tasks", ComputeTask.parser(), ComputeTask::getKey);

  public Uni<ComputeTask> find(Tx tx, String key) {
    return tasks.find(tx, key);
  }

  public Uni<Map<String, ComputeTask>> findAll(Tx tx, Collection<String> keys) {
    return tasks.findAll(tx, keys);
  }

  /** The keys among {@code keys} that name a task of the channel. */
  public Uni<Set<String>> existing(Tx tx, Collection<String> keys) {
    return tx.connection()
        .preparedQuery("SELECT key FROM compute_tasks WHERE channel = $1 AND key = ANY($2)")
        .execute(Tuple.of(tx.channel(), SnapshotTable.uuids(keys).toArray(UUID[]::new)))
        .map(
            rows -> {
              Set<String> found = new HashSet<>();
              rows.forEach(row -> found.add(row.getUUID(0).toString()));
              return found;
            });
  }

  /** Inserts new tasks and their parent links (parents in order of first appearance). */
  public Uni<Void> insertAll(Tx tx, List<ComputeTask> created) {
    List<Tuple> rows = new ArrayList<>(created.size());
    List<Tuple> links = new ArrayList<>();
    for (ComputeTask task : created) {
      UUID key = UUID.fromString(task.getKey());
      rows.add(
          Tuple.tuple(
              List.of(
                  key,
                  tx.channel(),
                  UUID.fromString(task.getComputePlanKey()),
                  UUID.fromString(task.getFunctionKey()),
                  task.getOwner(),
                  task.getWorker(),
                  task.getStatus().name(),
                  task.getRank(),
                  tx.now(),
                  SnapshotTable.payload(task))));
      int position = 0;
      for (String parent : parentKeys(task)) {
        links.add(Tuple.of(key, UUID.fromString(parent), ++position));
      }
    }
    Uni<Void> inserted =
        tx.connection()
            .preparedQuery(
                "INSERT INTO compute_tasks (key, channel, compute_plan_key, function_key, owner,"
                    + " worker, status, rank, creation_date, payload)"
                    + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)")
            .executeBatch(rows)
            .replaceWithVoid();
    if (links.isEmpty()) {
      return inserted;
    }
    return inserted.flatMap(
        done ->
            tx.connection()
                .preparedQuery(
                    "INSERT INTO compute_task_parents (child_key, parent_key, position)"
                        + " VALUES ($1, $2, $3)")
                .executeBatch(links)
                .replaceWithVoid());
  }

  /** Stores new snapshots of existing tasks (status and payload). */
  public Uni<Void> updateAll(Tx tx, List<ComputeTask> updated) {
    List<Tuple> rows = new ArrayList<>(updated.size());
    for (ComputeTask task : updated) {
      rows.add(
          Tuple.of(
              UUID.fromString(task.getKey()),
              task.getStatus().name(),
              SnapshotTable.payload(task)));
    }
    return tx.connection()
        .preparedQuery("UPDATE compute_tasks SET status = $2, payload = $3 WHERE key = $1")
        .executeBatch(rows)
        .replaceWithVoid();
  }

  /** Tasks of a function in a status, in database order (function-key-wide, as the reference). */
  public Uni<List<ComputeTask>> ofFunction(Tx tx, String functionKey, ComputeTaskStatus status) {
    return tx.connection()
        .preparedQuery(
            "SELECT payload FROM compute_tasks WHERE function_key = $1 AND status = $2"
                + " ORDER BY creation_date, key")
        .execute(Tuple.of(UUID.fromString(functionKey), status.name()))
        .map(tasks::decodeAll);
  }

  /** Children of {@code parentKey} in {@code status}, in parent-link order. */
  public Uni<List<ComputeTask>> children(Tx tx, String parentKey, ComputeTaskStatus status) {
    return tx.connection()
        .preparedQuery(
            "SELECT t.payload FROM compute_task_parents p JOIN compute_tasks t ON t.key ="
                + " p.child_key WHERE p.parent_key = $1 AND t.status = $2"
                + " ORDER BY p.position, t.creation_date, t.key")
        .execute(Tuple.of(UUID.fromString(parentKey), status.name()))
        .map(tasks::decodeAll);
  }

  /** Whether {@code parentKey} has children, and whether all of them are finished. */
  public Uni<ChildrenState> childrenState(Tx tx, String parentKey) {
    return tx.connection()
        .preparedQuery(
            "SELECT count(*) AS children, count(*) FILTER (WHERE t.status NOT IN"
                + " ('STATUS_DONE', 'STATUS_CANCELED', 'STATUS_FAILED')) AS running"
                + " FROM compute_task_parents p JOIN compute_tasks t ON t.key = p.child_key"
                + " WHERE p.parent_key = $1")
        .execute(Tuple.of(UUID.fromString(parentKey)))
        .map(
            rows -> {
              Row row = rows.iterator().next();
              return new ChildrenState(row.getLong("children"), row.getLong("running"));
            });
  }

  public record ChildrenState(long children, long running) {}

  /** Those of {@code keys} that have at least one parent not DONE. */
  public Uni<Set<String>> withUnfinishedParents(Tx tx, Collection<String> keys) {
    return tx.connection()
        .preparedQuery(
            "SELECT DISTINCT p.child_key FROM compute_task_parents p JOIN compute_tasks t"
                + " ON t.key = p.parent_key WHERE p.child_key = ANY($1)"
                + " AND t.status <> 'STATUS_DONE'")
        .execute(Tuple.of(SnapshotTable.uuids(keys).toArray(UUID[]::new)))
        .map(
            rows -> {
              Set<String> found = new HashSet<>();
              rows.forEach(row -> found.add(row.getUUID(0).toString()));
              return found;
            });
  }

  /** Statuses of a plan's tasks, with their counts. */
  public Uni<Map<ComputeTaskStatus, Long>> statusCounts(Tx tx, String planKey) {
    return tx.connection()
        .preparedQuery(
            "SELECT status, count(*) FROM compute_tasks WHERE compute_plan_key = $1"
                + " GROUP BY status")
        .execute(Tuple.of(UUID.fromString(planKey)))
        .map(
            rows -> {
              Map<ComputeTaskStatus, Long> counts =
                  new java.util.EnumMap<>(ComputeTaskStatus.class);
              rows.forEach(
                  row -> counts.put(ComputeTaskStatus.valueOf(row.getString(0)), row.getLong(1)));
              return counts;
            });
  }

  /**
   * QueryTasks (spec §3.8.8): the page's keys first, from the indexes alone, then the page's rows;
   * a deep offset thus skips index entries instead of reading and dropping whole rows.
   */
  public Uni<List<ComputeTask>> query(Tx tx, TaskQueryFilter filter, Page page) {
    List<String> conditions = new ArrayList<>();
    List<Object> params = new ArrayList<>();
    params.add(tx.channel());
    conditions.add("channel = $1");
    if (!filter.getWorker().isEmpty()) {
      params.add(filter.getWorker());
      conditions.add("worker = $" + params.size());
    }
    if (filter.getStatus() != ComputeTaskStatus.STATUS_UNKNOWN) {
      params.add(filter.getStatus().name());
      conditions.add("status = $" + params.size());
    }
    keyCondition("compute_plan_key", filter.getComputePlanKey(), conditions, params);
    keyCondition("function_key", filter.getFunctionKey(), conditions, params);
    params.add(page.fetchSize());
    params.add(page.offset());
    String sql =
        "SELECT t.payload FROM compute_tasks t JOIN (SELECT key, creation_date FROM compute_tasks"
            + " WHERE "
            + String.join(" AND ", conditions)
            + " ORDER BY creation_date, key LIMIT $"
            + (params.size() - 1)
            + " OFFSET $"
            + params.size()
            + ") page ON page.key = t.key ORDER BY page.creation_date, page.key";
    return tx.connection().preparedQuery(sql).execute(Tuple.tuple(params)).map(tasks::decodeAll);
  }

  /** A filter on a uuid column: a value that is not a UUID matches nothing. */
  static void keyCondition(
      String column, String value, List<String> conditions, List<Object> params) {
    if (value.isEmpty()) {
      return;
    }
    if (!Validator.isUuid(value)) {
      conditions.add("false");
      return;
    }
    params.add(UUID.fromString(value));
    conditions.add(column + " = $" + params.size());
  }

  /** The distinct parents of a task, in order of first appearance in its inputs (spec §3.8.1). */
  public static List<String> parentKeys(ComputeTask task) {
    return parentKeys(task.getInputsList());
  }

  static List<String> parentKeys(List<ComputeTaskInput> inputs) {
    Set<String> parents = new LinkedHashSet<>();
    for (ComputeTaskInput input : inputs) {
      if (input.hasParentTaskOutput()) {
        parents.add(input.getParentTaskOutput().getParentTaskKey());
      }
    }
    return new ArrayList<>(parents);
  }
}
