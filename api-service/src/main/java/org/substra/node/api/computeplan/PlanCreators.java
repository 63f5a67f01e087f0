package org.substra.node.api.computeplan;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/**
 * The users who created this organization's plans: kept in {@code api.compute_plan_creators} and
 * copied onto the read model's plan, which event-service creates without one.
 */
@ApplicationScoped
public class PlanCreators {

  private final Pool pool;

  PlanCreators(Pool pool) {
    this.pool = pool;
  }

  public Uni<Void> record(String plan, String username) {
    UUID key = UUID.fromString(plan);
    return pool.withTransaction(
        db ->
            db.preparedQuery(
                    "INSERT INTO api.compute_plan_creators (plan_key, username) VALUES ($1, $2)"
                        + " ON CONFLICT (plan_key) DO NOTHING")
                .execute(Tuple.of(key, username))
                .chain(
                    () ->
                        db.preparedQuery(
                                "UPDATE read_model.compute_plans SET creator = $2"
                                    + " WHERE key = $1 AND creator IS NULL")
                            .execute(Tuple.of(key, username)))
                .replaceWithVoid());
  }
}
