package org.substra.node.orchestrator.performance;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
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
import org.substra.node.orchestrator.storage.Transactions;
import org.substra.node.orchestrator.storage.Tx;

/**
 * Performances (spec §3.10), keyed {@code <task key>|<output>}. Unlike the reference, the output
 * must be a PERFORMANCE output.
 */
@ApplicationScoped
public class PerformanceService {

  private final Transactions transactions;
  private final PerformanceRepository performances;
  private final TaskService tasks;
  private final OutputAssetRepository outputAssets;

  PerformanceService(
      Transactions transactions,
      PerformanceRepository performances,
      TaskService tasks,
      OutputAssetRepository outputAssets) {
    this.transactions = transactions;
    this.performances = performances;
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
                            .flatMap(
                                output ->
                                    performances.exists(tx, input.getComputeTaskKey(), identifier))
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
    return performances
        .insert(tx, performance)
        .flatMap(inserted -> outputAssets.add(tx, asset))
        .replaceWith(performance);
  }

  public Uni<List<Performance>> query(Caller caller, PerformanceQueryFilter filter, Page page) {
    return transactions.read(caller, tx -> performances.query(tx, filter, page));
  }

  private static String key(Performance performance) {
    return PerformanceRepository.key(performance);
  }
}
