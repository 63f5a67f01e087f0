package org.substra.node.orchestrator.function;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.substra.node.orchestrator.asset.Validator;
import org.substra.node.orchestrator.protocol.Function;
import org.substra.node.orchestrator.storage.Page;
import org.substra.node.orchestrator.storage.SnapshotTable;
import org.substra.node.orchestrator.storage.Tx;

@ApplicationScoped
public class FunctionRepository {

  private static final String ORDER = "creation_date, key";

  private final SnapshotTable<Function> functions =
      new SnapshotTable<>("functions", Function.parser(), Function::getKey);

  public Uni<Function> find(Tx tx, String key) {
    return functions.find(tx, key);
  }

  public Uni<Map<String, Function>> findAll(Tx tx, Collection<String> keys) {
    return functions.findAll(tx, keys);
  }

  public Uni<Void> insert(Tx tx, Function function) {
    return tx.connection()
        .preparedQuery(
            "INSERT INTO functions (key, channel, owner, status, creation_date, payload)"
                + " VALUES ($1, $2, $3, $4, $5, $6)")
        .execute(
            Tuple.of(
                UUID.fromString(function.getKey()),
                tx.channel(),
                function.getOwner(),
                function.getStatus().name(),
                tx.now(),
                SnapshotTable.payload(function)))
        .replaceWithVoid();
  }

  public Uni<Void> update(Tx tx, Function function) {
    return tx.connection()
        .preparedQuery("UPDATE functions SET status = $2, payload = $3 WHERE key = $1")
        .execute(
            Tuple.of(
                UUID.fromString(function.getKey()),
                function.getStatus().name(),
                SnapshotTable.payload(function)))
        .replaceWithVoid();
  }

  /** QueryFunctions; with a plan key, the functions at least one task of that plan uses. */
  public Uni<List<Function>> query(Tx tx, String computePlanKey, Page page) {
    if (computePlanKey.isEmpty()) {
      return functions.page(tx, "", List.of(), ORDER, page);
    }
    if (!Validator.isUuid(computePlanKey)) {
      return functions.page(tx, "false", List.of(), ORDER, page);
    }
    return functions.page(
        tx,
        "key IN (SELECT function_key FROM compute_tasks WHERE compute_plan_key = $2)",
        List.of(UUID.fromString(computePlanKey)),
        ORDER,
        page);
  }
}
