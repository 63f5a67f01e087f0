package org.substra.node.orchestrator.performance;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.substra.node.orchestrator.asset.Validator;
import org.substra.node.orchestrator.computetask.OutputAssetRepository;
import org.substra.node.orchestrator.computetask.TaskService;
import org.substra.node.orchestrator.error.OrchestrationException;
import org.substra.node.orchestrator.identity.Caller;
import org.substra.node.orchestrator.model.ModelService;
import org.substra.node.orchestrator.protocol.AssetKind;
import org.substra.node.orchestrator.protocol.ComputeTaskOutputAsset;
import org.substra.node.orchestrator.protocol.Event;
import org.substra.node.orchestrator.protocol.EventKind;
import org.substra.node.orchestrator.protocol.NewPerformance;
import org.substra.node.orchestrator.protocol.Performance;
import org.substra.node.orchestrator.protocol.PerformanceQueryFilter;
import org.substra.node.orchestrator.storage.Page;
import org.substra.node.orchestrator.storage.SnapshotTable;
import org.substra.node.orchestrator.storage.Transactions;
import org.substra.node.orchestrator.storage.Tx;

/**
 * Performances (spec §3.10), keyed {@code <task key>|<output>}. Unlike the reference, the output
 * must be a PERFORMANCE output.
 */
@ApplicationScoped
public class PerformanceService {

  private final SnapshotTable<Performance> performances =
      new SnapshotTable<>("performances", Performance.parser(), PerformanceService::key);

  private final Transactions transactions;
  private final TaskService tasks;
  private final OutputAssetRepository outputAssets;

  PerformanceService(
      Transactions transactions, TaskService tasks, OutputAssetRepository outputAssets) {
    this.transactions = transactions;
    this.tasks = tasks;
    this.outputAssets = outputAssets;
  }

  public Uni<Performance> register(Caller caller, NewPerformance input) {
    String identifier = input.getComputeTaskOutputIdentifier();
    return Uni.createFrom()
        .voidItem()
        .invoke(
            () ->
                Validator.of("performance")
                    .uuid("compute_task_key", input.getComputeTaskKey())
                    .notBlank("compute_task_output_identifier", identifier)
                    .validate())
        .flatMap(
            valid ->
                transactions.write(
                    caller,
                    tx ->
                        tasks
                            .executing(tx, input.getComputeTaskKey(), "performance")
                            .flatMap(
                                task ->
                                    tasks.output(tx, task, identifier, AssetKind.ASSET_PERFORMANCE))
                            .flatMap(output -> exists(tx, input))
                            .flatMap(
                                exists -> {
                                  Performance performance =
                                      Performance.newBuilder()
                                          .setComputeTaskKey(input.getComputeTaskKey())
                                          .setComputeTaskOutputIdentifier(identifier)
                                          .setPerformanceValue(input.getPerformanceValue())
                                          .setCreationDate(tx.nowTimestamp())
                                          .build();
                                  if (exists) {
                                    throw OrchestrationException.conflict(
                                        "performance", key(performance));
                                  }
                                  return store(tx, performance);
                                })));
  }

  private Uni<Boolean> exists(Tx tx, NewPerformance input) {
    return tx.connection()
        .preparedQuery("SELECT 1 FROM performances WHERE compute_task_key = $1 AND identifier = $2")
        .execute(
            Tuple.of(
                UUID.fromString(input.getComputeTaskKey()), input.getComputeTaskOutputIdentifier()))
        .map(rows -> rows.size() > 0);
  }

  private Uni<Performance> store(Tx tx, Performance performance) {
    ComputeTaskOutputAsset asset =
        ComputeTaskOutputAsset.newBuilder()
            .setComputeTaskKey(performance.getComputeTaskKey())
            .setComputeTaskOutputIdentifier(performance.getComputeTaskOutputIdentifier())
            .setAssetKind(AssetKind.ASSET_PERFORMANCE)
            .setAssetKey(key(performance))
            .build();
    tx.emit(
        Event.newBuilder()
            .setAssetKey(key(performance))
            .setAssetKind(AssetKind.ASSET_PERFORMANCE)
            .setEventKind(EventKind.EVENT_ASSET_CREATED)
            .setPerformance(performance));
    tx.emit(ModelService.outputAssetEvent(asset));
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
        .flatMap(inserted -> outputAssets.add(tx, asset))
        .replaceWith(performance);
  }

  public Uni<List<Performance>> query(Caller caller, PerformanceQueryFilter filter, Page page) {
    List<String> conditions = new ArrayList<>();
    List<Object> params = new ArrayList<>();
    if (!filter.getComputeTaskKey().isEmpty()) {
      if (Validator.isUuid(filter.getComputeTaskKey())) {
        params.add(UUID.fromString(filter.getComputeTaskKey()));
        conditions.add("compute_task_key = $" + (params.size() + 1));
      } else {
        conditions.add("false");
      }
    }
    if (!filter.getComputeTaskOutputIdentifier().isEmpty()) {
      params.add(filter.getComputeTaskOutputIdentifier());
      conditions.add("identifier = $" + (params.size() + 1));
    }
    return transactions.read(
        caller,
        tx ->
            performances.page(
                tx,
                String.join(" AND ", conditions),
                params,
                "creation_date ASC, compute_task_key DESC",
                page));
  }

  static String key(Performance performance) {
    return performance.getComputeTaskKey() + "|" + performance.getComputeTaskOutputIdentifier();
  }
}
