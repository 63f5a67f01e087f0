package org.substra.node.orchestrator.computeplan;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.substra.node.orchestrator.protocol.ComputePlan;
import org.substra.node.orchestrator.protocol.PlanQueryFilter;
import org.substra.node.orchestrator.storage.Page;
import org.substra.node.orchestrator.storage.SnapshotTable;
import org.substra.node.orchestrator.storage.Tx;

@ApplicationScoped
public class PlanRepository {

  private final SnapshotTable<ComputePlan> plans =
      new SnapshotTable<>("compute_plans", ComputePlan.parser(), ComputePlan::getKey);

  public Uni<ComputePlan> find(Tx tx, String key) {
    return plans.find(tx, key);
  }

  public Uni<Map<String, ComputePlan>> findAll(Tx tx, Collection<String> keys) {
    return plans.findAll(tx, keys);
  }

  public Uni<Void> insert(Tx tx, ComputePlan plan) {
    return tx.connection()
        .preparedQuery(
            "INSERT INTO compute_plans (key, channel, owner, creation_date, payload)"
                + " VALUES ($1, $2, $3, $4, $5)")
        .execute(
            Tuple.of(
                UUID.fromString(plan.getKey()),
                tx.channel(),
                plan.getOwner(),
                tx.now(),
                SnapshotTable.payload(plan)))
        .replaceWithVoid();
  }

  public Uni<Void> update(Tx tx, ComputePlan plan) {
    return tx.connection()
        .preparedQuery("UPDATE compute_plans SET terminated = $2, payload = $3 WHERE key = $1")
        .execute(
            Tuple.of(
                UUID.fromString(plan.getKey()), isTerminated(plan), SnapshotTable.payload(plan)))
        .replaceWithVoid();
  }

  public Uni<List<ComputePlan>> query(Tx tx, PlanQueryFilter filter, Page page) {
    if (filter.getOwner().isEmpty()) {
      return plans.page(tx, "", List.of(), "creation_date ASC, key ASC", page);
    }
    return plans.page(
        tx, "owner = $2", List.of(filter.getOwner()), "creation_date ASC, key ASC", page);
  }

  public static boolean isTerminated(ComputePlan plan) {
    return plan.hasCancelationDate() || plan.hasFailureDate();
  }
}
