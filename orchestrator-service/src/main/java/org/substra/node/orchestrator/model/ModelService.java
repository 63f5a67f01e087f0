package org.substra.node.orchestrator.model;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.substra.node.orchestrator.asset.Validator;
import org.substra.node.orchestrator.computetask.OutputAssetRepository;
import org.substra.node.orchestrator.computetask.TaskService;
import org.substra.node.orchestrator.error.OrchestrationException;
import org.substra.node.orchestrator.identity.Caller;
import org.substra.node.orchestrator.protocol.AssetKind;
import org.substra.node.orchestrator.protocol.ComputeTaskOutputAsset;
import org.substra.node.orchestrator.protocol.Event;
import org.substra.node.orchestrator.protocol.EventKind;
import org.substra.node.orchestrator.protocol.Model;
import org.substra.node.orchestrator.protocol.NewModel;
import org.substra.node.orchestrator.storage.Transactions;
import org.substra.node.orchestrator.storage.Tx;

/** Models produced by tasks (spec §3.9). */
@ApplicationScoped
public class ModelService {

  private final Transactions transactions;
  private final ModelRepository models;
  private final OutputAssetRepository outputAssets;
  private final TaskService tasks;

  ModelService(
      Transactions transactions,
      ModelRepository models,
      OutputAssetRepository outputAssets,
      TaskService tasks) {
    this.transactions = transactions;
    this.models = models;
    this.outputAssets = outputAssets;
    this.tasks = tasks;
  }

  /** RegisterModels: models of one task, each on an output of kind MODEL of that task. */
  public Uni<List<Model>> register(Caller caller, List<NewModel> inputs) {
    return Uni.createFrom()
        .voidItem()
        .invoke(
            () -> {
              if (inputs.isEmpty()) {
                throw OrchestrationException.badRequest("no model to register");
              }
              String taskKey = inputs.get(0).getComputeTaskKey();
              for (NewModel input : inputs) {
                if (!input.getComputeTaskKey().equals(taskKey)) {
                  throw OrchestrationException.badRequest(
                      "All models should be part of the same task");
                }
              }
            })
        .flatMap(
            valid ->
                transactions.write(
                    caller,
                    tx -> {
                      Map<String, Integer> registered = new HashMap<>();
                      return Multi.createFrom()
                          .iterable(inputs)
                          .onItem()
                          .transformToUniAndConcatenate(input -> register(tx, input, registered))
                          .collect()
                          .asList();
                    }));
  }

  private Uni<Model> register(Tx tx, NewModel input, Map<String, Integer> registered) {
    Validator.of("model")
        .uuid("key", input.getKey())
        .uuid("compute_task_key", input.getComputeTaskKey())
        .notBlank("compute_task_output_identifier", input.getComputeTaskOutputIdentifier())
        .addressable("address", input.hasAddress(), input.getAddress())
        .validate();
    String identifier = input.getComputeTaskOutputIdentifier();
    return tasks
        .executing(tx, input.getComputeTaskKey(), "model")
        .flatMap(
            task ->
                tasks
                    .output(tx, task, identifier, AssetKind.ASSET_MODEL)
                    .flatMap(
                        output ->
                            outputAssets
                                .of(tx, task.getKey(), identifier)
                                .map(
                                    existing -> {
                                      int count =
                                          existing.size() + registered.getOrDefault(identifier, 0);
                                      if (!output.getMultiple() && count > 0) {
                                        throw new OrchestrationException(
                                            org.substra.node.orchestrator.error.ErrorKind.CONFLICT,
                                            "compute task \""
                                                + task.getKey()
                                                + "\" already has its unique output \""
                                                + identifier
                                                + "\" registered");
                                      }
                                      registered.merge(identifier, 1, Integer::sum);
                                      return Model.newBuilder()
                                          .setKey(input.getKey())
                                          .setComputeTaskKey(task.getKey())
                                          .setAddress(input.getAddress())
                                          .setPermissions(
                                              task.getOutputsMap().get(identifier).getPermissions())
                                          .setOwner(tx.caller().organization())
                                          .setCreationDate(tx.nowTimestamp())
                                          .build();
                                    })))
        .flatMap(model -> store(tx, model, identifier));
  }

  private Uni<Model> store(Tx tx, Model model, String identifier) {
    ComputeTaskOutputAsset asset =
        ComputeTaskOutputAsset.newBuilder()
            .setComputeTaskKey(model.getComputeTaskKey())
            .setComputeTaskOutputIdentifier(identifier)
            .setAssetKind(AssetKind.ASSET_MODEL)
            .setAssetKey(model.getKey())
            .build();
    tx.emit(
        Event.newBuilder()
            .setAssetKey(model.getKey())
            .setAssetKind(AssetKind.ASSET_MODEL)
            .setEventKind(EventKind.EVENT_ASSET_CREATED)
            .setModel(model));
    tx.emit(outputAssetEvent(asset));
    return models
        .insert(tx, model, identifier)
        .flatMap(inserted -> outputAssets.add(tx, asset))
        .replaceWith(model);
  }

  /** The COMPUTE_TASK_OUTPUT_ASSET created event, keyed by the task. */
  public static Event.Builder outputAssetEvent(ComputeTaskOutputAsset asset) {
    return Event.newBuilder()
        .setAssetKey(asset.getComputeTaskKey())
        .setAssetKind(AssetKind.ASSET_COMPUTE_TASK_OUTPUT_ASSET)
        .setEventKind(EventKind.EVENT_ASSET_CREATED)
        .setComputeTaskOutputAsset(asset);
  }

  public Uni<Model> get(Caller caller, String key) {
    return transactions.read(
        caller,
        tx ->
            models
                .find(tx, key)
                .invoke(
                    model -> {
                      if (model == null) {
                        throw OrchestrationException.notFound("model", key);
                      }
                    }));
  }

  public Uni<List<Model>> ofTask(Caller caller, String taskKey) {
    return transactions.read(
        caller,
        tx ->
            Validator.isUuid(taskKey)
                ? models.ofTask(tx, taskKey)
                : Uni.createFrom().item(List.of()));
  }
}
