package org.substra.node.orchestrator.performance;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.substra.node.orchestrator.asset.Validator;
import org.substra.node.orchestrator.protocol.Performance;
import org.substra.node.orchestrator.protocol.PerformanceQueryFilter;
import org.substra.node.orchestrator.storage.Page;
import org.substra.node.orchestrator.storage.SnapshotTable;
import org.substra.node.orchestrator.storage.Tx;

@ApplicationScoped
public class PerformanceRepository {

  private final SnapshotTable<Performance> performances =
      new SnapshotTable<>("performances", Performance.parser(), PerformanceRepository::key);

  public Uni<Boolean> exists(Tx tx, String taskKey, String identifier) {
    return tx.connection()
        .preparedQuery("SELECT 1 FROM performances WHERE compute_task_key = $1 AND identifier = $2")
        .execute(Tuple.of(UUID.fromString(taskKey), identifier))
        .map(rows -> rows.size() > 0);
  }

  public Uni<Void> insert(Tx tx, Performance performance) {
    return tx.connection()
        .preparedQuery(
            "INSERT INTO performances (compute_task_key, identifier, channel, creation_date,"
                + " payload) VALUES ($1, $2, $3, $4, $5)")
        .execute(
            Tuple.of(
                UUID.fromString(performance.getComputeTaskKey()),
                performance.getComputeTaskOutputIdentifier(),
                tx.channel(),
                tx.now(),
                SnapshotTable.payload(performance)))
        .replaceWithVoid();
  }

  /** QueryPerformances: by task and/or output, oldest first (spec §2.6). */
  public Uni<List<Performance>> query(Tx tx, PerformanceQueryFilter filter, Page page) {
    List<String> conditions = new ArrayList<>();
    List<Object> params = new ArrayList<>();
    String taskKey = filter.getComputeTaskKey();
    if (!taskKey.isEmpty()) {
      if (Validator.isUuid(taskKey)) {
        params.add(UUID.fromString(taskKey));
        conditions.add("compute_task_key = $" + (params.size() + 1));
      } else {
        conditions.add("false");
      }
    }
    if (!filter.getComputeTaskOutputIdentifier().isEmpty()) {
      params.add(filter.getComputeTaskOutputIdentifier());
      conditions.add("identifier = $" + (params.size() + 1));
    }
    return performances.page(
        tx,
        String.join(" AND ", conditions),
        params,
        "creation_date ASC, compute_task_key DESC",
        page);
  }

  /** A performance's key, as the reference builds it: {@code <task key>|<output>}. */
  static String key(Performance performance) {
    return performance.getComputeTaskKey() + "|" + performance.getComputeTaskOutputIdentifier();
  }
}
