package org.substra.node.orchestrator.computetask;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.substra.node.orchestrator.computeplan.PlanRepository;
import org.substra.node.orchestrator.datamanager.DataManagerRepository;
import org.substra.node.orchestrator.datasample.DataSampleRepository;
import org.substra.node.orchestrator.error.ErrorKind;
import org.substra.node.orchestrator.error.OrchestrationException;
import org.substra.node.orchestrator.function.FunctionRepository;
import org.substra.node.orchestrator.identity.Caller;
import org.substra.node.orchestrator.model.ModelRepository;
import org.substra.node.orchestrator.organization.OrganizationRepository;
import org.substra.node.orchestrator.protocol.AssetKind;
import org.substra.node.orchestrator.protocol.ComputeTask;
import org.substra.node.orchestrator.protocol.ComputeTaskAction;
import org.substra.node.orchestrator.protocol.ComputeTaskInput;
import org.substra.node.orchestrator.protocol.ComputeTaskInputAsset;
import org.substra.node.orchestrator.protocol.ComputeTaskOutput;
import org.substra.node.orchestrator.protocol.ComputeTaskOutputAsset;
import org.substra.node.orchestrator.protocol.ComputeTaskStatus;
import org.substra.node.orchestrator.protocol.Event;
import org.substra.node.orchestrator.protocol.EventKind;
import org.substra.node.orchestrator.protocol.FunctionInput;
import org.substra.node.orchestrator.protocol.FunctionOutput;
import org.substra.node.orchestrator.protocol.Model;
import org.substra.node.orchestrator.protocol.NewComputeTask;
import org.substra.node.orchestrator.protocol.TaskQueryFilter;
import org.substra.node.orchestrator.storage.Page;
import org.substra.node.orchestrator.storage.Transactions;
import org.substra.node.orchestrator.storage.Tx;

/** Compute tasks (spec §3.8). */
@ApplicationScoped
public class TaskService {

  private static final Set<ComputeTaskStatus> INPUTS_DEFINED =
      EnumSet.of(
          ComputeTaskStatus.STATUS_EXECUTING,
          ComputeTaskStatus.STATUS_WAITING_FOR_EXECUTOR_SLOT,
          ComputeTaskStatus.STATUS_FAILED);

  /** Batches from this size on change the tasks table enough to refresh its statistics. */
  private static final int LARGE_BATCH = 1000;

  private final Transactions transactions;
  private final TaskRepository tasks;
  private final TaskLifecycle lifecycle;
  private final OutputAssetRepository outputAssets;
  private final PlanRepository plans;
  private final FunctionRepository functions;
  private final DataManagerRepository dataManagers;
  private final DataSampleRepository dataSamples;
  private final ModelRepository models;
  private final OrganizationRepository organizations;

  TaskService(
      Transactions transactions,
      TaskRepository tasks,
      TaskLifecycle lifecycle,
      OutputAssetRepository outputAssets,
      PlanRepository plans,
      FunctionRepository functions,
      DataManagerRepository dataManagers,
      DataSampleRepository dataSamples,
      ModelRepository models,
      OrganizationRepository organizations) {
    this.transactions = transactions;
    this.tasks = tasks;
    this.lifecycle = lifecycle;
    this.outputAssets = outputAssets;
    this.plans = plans;
    this.functions = functions;
    this.dataManagers = dataManagers;
    this.dataSamples = dataSamples;
    this.models = models;
    this.organizations = organizations;
  }

  /** RegisterTasks: the batch is loaded with a few set queries, built in memory, then stored. */
  public Uni<List<ComputeTask>> register(Caller caller, List<NewComputeTask> batch) {
    return Uni.createFrom()
        .voidItem()
        .invoke(() -> TaskRegistration.validate(batch))
        .flatMap(valid -> transactions.write(caller, tx -> register(tx, batch)))
        .invoke(
            created -> {
              if (created.size() >= LARGE_BATCH) {
                tasks.refreshStatistics();
              }
            });
  }

  private Uni<List<ComputeTask>> register(Tx tx, List<NewComputeTask> batch) {
    List<String> keys = batch.stream().map(NewComputeTask::getKey).toList();
    Set<String> batchKeys = new HashSet<>(keys);
    Set<String> parentKeys = new LinkedHashSet<>();
    Set<String> planKeys = new LinkedHashSet<>();
    Set<String> functionKeys = new LinkedHashSet<>();
    Set<String> assetKeys = new LinkedHashSet<>();
    for (NewComputeTask task : batch) {
      planKeys.add(task.getComputePlanKey());
      functionKeys.add(task.getFunctionKey());
      for (ComputeTaskInput input : task.getInputsList()) {
        if (input.hasAssetKey()) {
          assetKeys.add(input.getAssetKey());
        } else if (!batchKeys.contains(input.getParentTaskOutput().getParentTaskKey())) {
          parentKeys.add(input.getParentTaskOutput().getParentTaskKey());
        }
      }
    }
    return tasks
        .existing(tx, keys)
        .flatMap(
            existing -> {
              for (String key : keys) {
                if (existing.contains(key)) {
                  throw OrchestrationException.conflict("computetask", key);
                }
              }
              return tasks.findAll(tx, parentKeys);
            })
        .flatMap(
            storedParents -> {
              List<NewComputeTask> sorted = TaskRegistration.sort(batch, storedParents.keySet());
              storedParents.values().forEach(parent -> functionKeys.add(parent.getFunctionKey()));
              List<String> doneParents =
                  storedParents.values().stream()
                      .filter(parent -> parent.getStatus() == ComputeTaskStatus.STATUS_DONE)
                      .map(ComputeTask::getKey)
                      .toList();
              return Uni.combine()
                  .all()
                  .unis(
                      organizations.ids(tx),
                      plans.findAll(tx, planKeys),
                      functions.findAll(tx, functionKeys),
                      models.ofTasks(tx, doneParents),
                      dataManagers.findAll(tx, assetKeys),
                      dataSamples.findAll(tx, assetKeys),
                      models.findAll(tx, assetKeys))
                  .with(
                      loaded -> {
                        @SuppressWarnings({"unchecked", "rawtypes"})
                        TaskRegistration.Context context =
                            new TaskRegistration.Context(
                                tx.caller().organization(),
                                tx.nowTimestamp(),
                                (Set<String>) loaded.get(0),
                                (Map) loaded.get(1),
                                (Map) loaded.get(2),
                                storedParents,
                                (Map) loaded.get(3),
                                (Map) loaded.get(4),
                                (Map) loaded.get(5),
                                (Map) loaded.get(6));
                        return TaskRegistration.build(sorted, context);
                      });
            })
        .flatMap(
            created -> {
              created.forEach(
                  task ->
                      tx.emit(
                          Event.newBuilder()
                              .setAssetKey(task.getKey())
                              .setAssetKind(AssetKind.ASSET_COMPUTE_TASK)
                              .setEventKind(EventKind.EVENT_ASSET_CREATED)
                              .setComputeTask(task)));
              return tasks.insertAll(tx, created).replaceWith(created);
            });
  }

  public Uni<ComputeTask> get(Caller caller, String key) {
    return transactions.read(caller, tx -> existing(tx, key));
  }

  public Uni<List<ComputeTask>> query(Caller caller, TaskQueryFilter filter, Page page) {
    return transactions.read(caller, tx -> tasks.query(tx, filter, page));
  }

  /** ApplyTaskAction: existence, then who may act, then the state machine (spec §3.8.6). */
  public Uni<Void> applyAction(Caller caller, String key, ComputeTaskAction action, String log) {
    String reason = log.isEmpty() ? "User action" : log;
    return transactions.write(
        caller,
        tx ->
            existing(tx, key)
                .flatMap(
                    task -> {
                      TaskTransition transition = allowedTransition(task, action, caller);
                      return lifecycle.apply(tx, List.of(task), transition, reason);
                    })
                .replaceWithVoid());
  }

  private static TaskTransition allowedTransition(
      ComputeTask task, ComputeTaskAction action, Caller caller) {
    String requester = caller.organization();
    boolean worker = requester.equals(task.getWorker());
    boolean ownerOrWorker = worker || requester.equals(task.getOwner());
    TaskTransition transition =
        switch (action) {
          case TASK_ACTION_EXECUTING -> worker ? TaskTransition.EXECUTING : null;
          case TASK_ACTION_DONE -> worker ? TaskTransition.DONE : null;
          case TASK_ACTION_CANCELED -> ownerOrWorker ? TaskTransition.CANCELED : null;
          case TASK_ACTION_FAILED -> ownerOrWorker ? TaskTransition.FAILED : null;
          // BUILD_STARTED / BUILD_FINISHED only ever come from function propagation.
          default -> null;
        };
    if (transition == null) {
      throw OrchestrationException.permissionDenied("only task owner can update it");
    }
    return transition;
  }

  /** GetTaskInputAssets (spec §3.8.7): inputs resolved to assets, in input order. */
  public Uni<List<ComputeTaskInputAsset>> inputAssets(Caller caller, String key) {
    return transactions.read(
        caller,
        tx ->
            existing(tx, key)
                .flatMap(
                    task -> {
                      if (!INPUTS_DEFINED.contains(task.getStatus())) {
                        throw OrchestrationException.badRequest(
                            "Task inputs may not be defined in current task status (\""
                                + task.getStatus().name()
                                + "\")");
                      }
                      return functions
                          .find(tx, task.getFunctionKey())
                          .flatMap(function -> resolveInputs(tx, task, function.getInputsMap()));
                    }));
  }

  private Uni<List<ComputeTaskInputAsset>> resolveInputs(
      Tx tx, ComputeTask task, Map<String, FunctionInput> kinds) {
    return Multi.createFrom()
        .iterable(task.getInputsList())
        .onItem()
        .transformToUniAndConcatenate(
            input -> {
              if (input.hasAssetKey()) {
                AssetKind kind = kinds.get(input.getIdentifier()).getKind();
                return resolve(tx, input.getIdentifier(), kind, input.getAssetKey()).map(List::of);
              }
              return outputAssets
                  .of(
                      tx,
                      input.getParentTaskOutput().getParentTaskKey(),
                      input.getParentTaskOutput().getOutputIdentifier())
                  .flatMap(
                      produced ->
                          Multi.createFrom()
                              .iterable(produced)
                              .onItem()
                              .transformToUniAndConcatenate(
                                  asset ->
                                      resolve(
                                          tx,
                                          input.getIdentifier(),
                                          asset.getAssetKind(),
                                          asset.getAssetKey()))
                              .collect()
                              .asList());
            })
        .collect()
        .asList()
        .map(
            resolved -> {
              List<ComputeTaskInputAsset> assets = new ArrayList<>();
              resolved.forEach(assets::addAll);
              return assets;
            });
  }

  private Uni<ComputeTaskInputAsset> resolve(Tx tx, String identifier, AssetKind kind, String key) {
    ComputeTaskInputAsset.Builder asset = ComputeTaskInputAsset.newBuilder();
    asset.setIdentifier(identifier);
    return switch (kind) {
      case ASSET_MODEL -> models.find(tx, key).map(model -> asset.setModel(model).build());
      case ASSET_DATA_MANAGER ->
          dataManagers.find(tx, key).map(manager -> asset.setDataManager(manager).build());
      case ASSET_DATA_SAMPLE ->
          dataSamples.find(tx, key).map(sample -> asset.setDataSample(sample).build());
      default ->
          Uni.createFrom()
              .failure(
                  new OrchestrationException(
                      ErrorKind.UNIMPLEMENTED, "unsupported input kind " + kind.name()));
    };
  }

  /**
   * DisableOutput (spec §3.8.3): once every consumer of a transient output finished, its models
   * lose their address.
   */
  public Uni<Void> disableOutput(Caller caller, String key, String identifier) {
    return transactions.write(
        caller,
        tx ->
            existing(tx, key)
                .flatMap(
                    task -> {
                      if (!task.getWorker().equals(caller.organization())) {
                        throw OrchestrationException.permissionDenied(
                            "only the worker of task \"" + key + "\" can disable its outputs");
                      }
                      if (!TaskTransition.isFinal(task.getStatus())) {
                        throw cannotDisable("task not in final state");
                      }
                      ComputeTaskOutput output = task.getOutputsMap().get(identifier);
                      if (output == null) {
                        throw cannotDisable("task has no output \"" + identifier + "\"");
                      }
                      if (!output.getTransient()) {
                        throw cannotDisable("output is not transient");
                      }
                      return outputAssets.of(tx, key, identifier);
                    })
                .flatMap(
                    assets -> {
                      if (assets.isEmpty()) {
                        throw cannotDisable("no asset registered on output \"" + identifier + "\"");
                      }
                      for (ComputeTaskOutputAsset asset : assets) {
                        if (asset.getAssetKind() != AssetKind.ASSET_MODEL) {
                          throw cannotDisable("only model outputs can be disabled");
                        }
                      }
                      return tasks.childrenState(tx, key);
                    })
                .flatMap(
                    children -> {
                      if (children.children() == 0) {
                        throw cannotDisable("task has no children");
                      }
                      if (children.running() > 0) {
                        throw cannotDisable("children are not in final state");
                      }
                      return models.ofOutput(tx, key, identifier);
                    })
                .flatMap(found -> disable(tx, found)));
  }

  private Uni<Void> disable(Tx tx, List<Model> found) {
    return Multi.createFrom()
        .iterable(found)
        .filter(Model::hasAddress)
        .onItem()
        .transformToUniAndConcatenate(
            model -> {
              Model disabled = model.toBuilder().clearAddress().build();
              tx.emit(
                  Event.newBuilder()
                      .setAssetKey(disabled.getKey())
                      .setAssetKind(AssetKind.ASSET_MODEL)
                      .setEventKind(EventKind.EVENT_ASSET_DISABLED)
                      .setModel(disabled));
              return models.update(tx, disabled);
            })
        .collect()
        .last()
        .replaceWithVoid();
  }

  private static OrchestrationException cannotDisable(String reason) {
    return new OrchestrationException(
        ErrorKind.CANNOT_DISABLE_OUTPUT, "cannot disable asset: " + reason);
  }

  /**
   * The task an output is registered for: it exists, the caller is its worker and it is EXECUTING
   * ({@code what} names the registration in the refusals).
   */
  public Uni<ComputeTask> executing(Tx tx, String key, String what) {
    return existing(tx, key)
        .invoke(
            task -> {
              if (!task.getWorker().equals(tx.caller().organization())) {
                throw OrchestrationException.permissionDenied(
                    "only \"" + task.getWorker() + "\" worker can register " + what);
              }
              if (task.getStatus() != ComputeTaskStatus.STATUS_EXECUTING) {
                throw OrchestrationException.badRequest(
                    "cannot register "
                        + what
                        + " for task with status \""
                        + task.getStatus().name()
                        + "\"");
              }
            });
  }

  /** The function output behind a task output, which must exist and be of {@code kind}. */
  public Uni<FunctionOutput> output(Tx tx, ComputeTask task, String identifier, AssetKind kind) {
    if (!task.getOutputsMap().containsKey(identifier)) {
      return Uni.createFrom()
          .failure(
              new OrchestrationException(
                  ErrorKind.MISSING_TASK_OUTPUT,
                  "Task \"" + task.getKey() + "\" has no output named \"" + identifier + "\""));
    }
    return functions
        .find(tx, task.getFunctionKey())
        .map(
            function -> {
              FunctionOutput output = function.getOutputsMap().get(identifier);
              if (output == null || output.getKind() != kind) {
                throw new OrchestrationException(
                    ErrorKind.INCOMPATIBLE_KIND,
                    "Incompatible kind for task \""
                        + task.getKey()
                        + "\": output \""
                        + identifier
                        + "\" expects \""
                        + (output == null ? AssetKind.ASSET_UNKNOWN : output.getKind()).name()
                        + "\", received \""
                        + kind.name()
                        + "\"");
              }
              return output;
            });
  }

  /** The task, or NOT_FOUND. */
  public Uni<ComputeTask> existing(Tx tx, String key) {
    return tasks
        .find(tx, key)
        .invoke(
            task -> {
              if (task == null) {
                throw OrchestrationException.notFound("computetask", key);
              }
            });
  }
}
