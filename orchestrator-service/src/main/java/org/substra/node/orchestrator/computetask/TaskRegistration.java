package org.substra.node.orchestrator.computetask;

import com.google.protobuf.Timestamp;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.substra.node.orchestrator.asset.PermissionRules;
import org.substra.node.orchestrator.asset.Validator;
import org.substra.node.orchestrator.error.ErrorKind;
import org.substra.node.orchestrator.error.OrchestrationException;
import org.substra.node.orchestrator.protocol.AssetKind;
import org.substra.node.orchestrator.protocol.ComputePlan;
import org.substra.node.orchestrator.protocol.ComputeTask;
import org.substra.node.orchestrator.protocol.ComputeTaskInput;
import org.substra.node.orchestrator.protocol.ComputeTaskOutput;
import org.substra.node.orchestrator.protocol.ComputeTaskStatus;
import org.substra.node.orchestrator.protocol.DataManager;
import org.substra.node.orchestrator.protocol.DataSample;
import org.substra.node.orchestrator.protocol.Function;
import org.substra.node.orchestrator.protocol.FunctionInput;
import org.substra.node.orchestrator.protocol.FunctionOutput;
import org.substra.node.orchestrator.protocol.Model;
import org.substra.node.orchestrator.protocol.NewComputeTask;
import org.substra.node.orchestrator.protocol.NewComputeTaskOutput;
import org.substra.node.orchestrator.protocol.Permission;

/**
 * The RegisterTasks algorithm (spec §3.8.2) on data already loaded: validation, topological order,
 * then each task built in that order against the plan, the function, its parents and its inputs.
 * Pure, so the rules are checked in the reference's order whatever the storage does.
 */
final class TaskRegistration {

  /** What the batch refers to, loaded from the channel. */
  record Context(
      String requester,
      Timestamp now,
      Set<String> organizations,
      Map<String, ComputePlan> plans,
      Map<String, Function> functions,
      Map<String, ComputeTask> storedParents,
      Map<String, List<Model>> storedParentModels,
      Map<String, DataManager> dataManagers,
      Map<String, DataSample> dataSamples,
      Map<String, Model> models) {}

  private TaskRegistration() {}

  /** Steps 1 and 2: a non-empty batch of well-formed tasks. */
  static void validate(List<NewComputeTask> batch) {
    if (batch.isEmpty()) {
      throw OrchestrationException.badRequest("no task to register");
    }
    for (NewComputeTask task : batch) {
      Validator validator =
          Validator.of("computetask")
              .uuid("key", task.getKey())
              .uuid("function_key", task.getFunctionKey())
              .uuid("compute_plan_key", task.getComputePlanKey())
              .metadata(task.getMetadataMap());
      for (int i = 0; i < task.getInputsCount(); i++) {
        ComputeTaskInput input = task.getInputs(i);
        String field = "inputs[" + i + "]";
        validator.notBlank(field + ".identifier", input.getIdentifier());
        switch (input.getRefCase()) {
          case ASSET_KEY -> validator.uuid(field + ".asset_key", input.getAssetKey());
          case PARENT_TASK_OUTPUT -> {
            validator.uuid(
                field + ".parent_task_output.parent_task_key",
                input.getParentTaskOutput().getParentTaskKey());
            validator.notBlank(
                field + ".parent_task_output.output_identifier",
                input.getParentTaskOutput().getOutputIdentifier());
          }
          default -> validator.error(field + ".ref", "cannot be blank");
        }
      }
      for (Map.Entry<String, NewComputeTaskOutput> output : task.getOutputsMap().entrySet()) {
        String field = "outputs[" + output.getKey() + "]";
        validator.notBlank(field + ".identifier", output.getKey());
        validator.present(field + ".permissions", output.getValue().hasPermissions());
      }
      validator.validate();
    }
  }

  /** The parents a task names, in order of first appearance. */
  static List<String> parents(NewComputeTask task) {
    return TaskRepository.parentKeys(task.getInputsList());
  }

  /**
   * Step 4, Kahn's algorithm: parents come before children; stored parents are satisfied; an
   * unknown parent or a cycle leaves tasks unsorted, which is refused.
   */
  static List<NewComputeTask> sort(List<NewComputeTask> batch, Set<String> storedParents) {
    Map<String, NewComputeTask> byKey = new LinkedHashMap<>();
    batch.forEach(task -> byKey.put(task.getKey(), task));
    Map<String, Integer> pending = new HashMap<>();
    Map<String, List<String>> children = new HashMap<>();
    ArrayDeque<NewComputeTask> ready = new ArrayDeque<>();
    for (NewComputeTask task : batch) {
      int count = 0;
      for (String parent : parents(task)) {
        if (byKey.containsKey(parent)) {
          count++;
          children.computeIfAbsent(parent, key -> new ArrayList<>()).add(task.getKey());
        } else if (!storedParents.contains(parent)) {
          count = Integer.MAX_VALUE;
          break;
        }
      }
      pending.put(task.getKey(), count);
      if (count == 0) {
        ready.add(task);
      }
    }
    List<NewComputeTask> sorted = new ArrayList<>(batch.size());
    while (!ready.isEmpty()) {
      NewComputeTask task = ready.poll();
      sorted.add(task);
      for (String child : children.getOrDefault(task.getKey(), List.of())) {
        int left = pending.merge(child, -1, Integer::sum);
        if (left == 0) {
          ready.add(byKey.get(child));
        }
      }
    }
    if (sorted.size() < batch.size()) {
      throw new OrchestrationException(
          ErrorKind.INVALID_ASSET,
          "cyclic dependency in compute plan graph or unknown task parent, unsorted_tasks_count: "
              + (batch.size() - sorted.size()));
    }
    return sorted;
  }

  /** Step 5: the tasks to store, in sorted order. */
  static List<ComputeTask> build(List<NewComputeTask> sorted, Context context) {
    Map<String, ComputeTask> created = new LinkedHashMap<>();
    for (NewComputeTask task : sorted) {
      created.put(task.getKey(), new Builder(task, context, created).build());
    }
    return new ArrayList<>(created.values());
  }

  /** One task of the batch. */
  private static final class Builder {

    private final NewComputeTask task;
    private final Context context;
    private final Map<String, ComputeTask> created;
    private final String owner;

    Builder(NewComputeTask task, Context context, Map<String, ComputeTask> created) {
      this.task = task;
      this.context = context;
      this.created = created;
      this.owner = context.requester();
    }

    ComputeTask build() {
      ComputePlan plan = context.plans().get(task.getComputePlanKey());
      if (plan == null) {
        throw OrchestrationException.notFound("computeplan", task.getComputePlanKey());
      }
      if (!plan.getOwner().equals(owner)) {
        throw OrchestrationException.permissionDenied(
            "Cannot register tasks to a compute plan you don't own");
      }
      List<ComputeTask> parents = new ArrayList<>();
      for (String key : parents(task)) {
        parents.add(parent(key));
      }
      Function function = context.functions().get(task.getFunctionKey());
      if (function == null) {
        throw OrchestrationException.notFound("function", task.getFunctionKey());
      }
      if (!PermissionRules.canProcess(function.getPermissions(), owner)) {
        throw OrchestrationException.permissionDenied(
            "not authorized to process function \"" + function.getKey() + "\"");
      }
      ComputeTaskStatus status = initialStatus(function, parents);
      for (ComputeTask parent : parents) {
        if (parent.getStatus() == ComputeTaskStatus.STATUS_DONE) {
          for (Model model :
              context.storedParentModels().getOrDefault(parent.getKey(), List.of())) {
            if (!model.hasAddress()) {
              throw new OrchestrationException(
                  ErrorKind.INVALID_ASSET, "Model \"" + model.getKey() + "\" has been disabled");
            }
          }
        }
      }
      Map<String, ComputeTaskOutput> outputs = new LinkedHashMap<>();
      task.getOutputsMap()
          .forEach(
              (identifier, output) ->
                  outputs.put(
                      identifier,
                      ComputeTaskOutput.newBuilder()
                          .setPermissions(
                              PermissionRules.createPermissions(
                                  owner, output.getPermissions(), context.organizations()))
                          .setTransient(output.getTransient())
                          .build()));
      String dataManagerInput = dataManagerInput(function);
      DataManager dataManager = dataManagerInput == null ? null : dataManager(dataManagerInput);
      if (dataManagerInput != null && dataManager == null) {
        // The data manager input is missing or not an asset key: the input rules say which.
        checkInputs(function, null, task.getWorker());
      }
      String worker = worker(dataManager);
      Permission logsPermission;
      if (dataManager != null) {
        logsPermission = dataManager.getLogsPermission();
      } else {
        logsPermission = PermissionRules.owned(owner);
        for (ComputeTask parent : parents) {
          logsPermission = PermissionRules.union(parent.getLogsPermission(), logsPermission);
        }
      }
      int rank = 0;
      for (ComputeTask parent : parents) {
        rank = Math.max(rank, parent.getRank() + 1);
      }
      checkInputs(function, dataManager, worker);
      checkOutputs(function, outputs);
      return ComputeTask.newBuilder()
          .setKey(task.getKey())
          .setOwner(owner)
          .setComputePlanKey(task.getComputePlanKey())
          .setRank(rank)
          .setStatus(status)
          .setWorker(worker)
          .setCreationDate(context.now())
          .setLogsPermission(logsPermission)
          .putAllMetadata(task.getMetadataMap())
          .addAllInputs(task.getInputsList())
          .putAllOutputs(outputs)
          .setFunctionKey(task.getFunctionKey())
          .build();
    }

    private ComputeTask parent(String key) {
      ComputeTask parent = created.get(key);
      if (parent == null) {
        parent = context.storedParents().get(key);
      }
      if (parent == null) {
        throw OrchestrationException.notFound("computetask", key);
      }
      return parent;
    }

    /** Spec §3.8.4, in its order. */
    private static ComputeTaskStatus initialStatus(Function function, List<ComputeTask> parents) {
      boolean allDone = true;
      for (ComputeTask parent : parents) {
        ComputeTaskStatus status = parent.getStatus();
        if (status == ComputeTaskStatus.STATUS_FAILED
            || status == ComputeTaskStatus.STATUS_CANCELED) {
          return ComputeTaskStatus.STATUS_CANCELED;
        }
        allDone &= status == ComputeTaskStatus.STATUS_DONE;
      }
      return switch (function.getStatus()) {
        case FUNCTION_STATUS_READY ->
            allDone
                ? ComputeTaskStatus.STATUS_WAITING_FOR_EXECUTOR_SLOT
                : ComputeTaskStatus.STATUS_WAITING_FOR_PARENT_TASKS;
        case FUNCTION_STATUS_BUILDING -> ComputeTaskStatus.STATUS_BUILDING;
        case FUNCTION_STATUS_FAILED -> ComputeTaskStatus.STATUS_FAILED;
        case FUNCTION_STATUS_CANCELED -> ComputeTaskStatus.STATUS_CANCELED;
        default -> ComputeTaskStatus.STATUS_WAITING_FOR_BUILDER_SLOT;
      };
    }

    private static String dataManagerInput(Function function) {
      for (Map.Entry<String, FunctionInput> input : function.getInputsMap().entrySet()) {
        if (input.getValue().getKind() == AssetKind.ASSET_DATA_MANAGER) {
          return input.getKey();
        }
      }
      return null;
    }

    /** The data manager the task names for {@code identifier}; NOT_FOUND if it names none. */
    private DataManager dataManager(String identifier) {
      for (ComputeTaskInput input : task.getInputsList()) {
        if (input.getIdentifier().equals(identifier) && input.hasAssetKey()) {
          DataManager dataManager = context.dataManagers().get(input.getAssetKey());
          if (dataManager == null) {
            throw OrchestrationException.notFound("datamanager", input.getAssetKey());
          }
          return dataManager;
        }
      }
      return null;
    }

    /** Step 7: the data manager's owner, else the explicit worker, a member of the channel. */
    private String worker(DataManager dataManager) {
      String worker = task.getWorker();
      if (dataManager != null) {
        if (!worker.isEmpty() && !worker.equals(dataManager.getOwner())) {
          throw OrchestrationException.badRequest(
              "Specified worker \""
                  + worker
                  + "\" does not match data manager owner: \""
                  + dataManager.getOwner()
                  + "\"");
        }
        worker = dataManager.getOwner();
      } else if (worker.isEmpty()) {
        throw OrchestrationException.badRequest(
            "Worker cannot be inferred and must be explicitly set");
      }
      if (!context.organizations().contains(worker)) {
        throw OrchestrationException.notFound("organization", worker);
      }
      return worker;
    }

    /** Step 10. */
    private void checkInputs(Function function, DataManager dataManager, String worker) {
      Map<String, Integer> seen = new HashMap<>();
      List<DataSample> samples = new ArrayList<>();
      for (ComputeTaskInput input : task.getInputsList()) {
        String identifier = input.getIdentifier();
        FunctionInput expected = function.getInputsMap().get(identifier);
        if (expected == null) {
          throw invalid("unknown task input \"" + identifier + "\"");
        }
        if (seen.merge(identifier, 1, Integer::sum) > 1 && !expected.getMultiple()) {
          throw invalid("duplicate task input \"" + identifier + "\"");
        }
        switch (expected.getKind()) {
          case ASSET_DATA_MANAGER -> {
            if (!input.hasAssetKey()) {
              throw invalid("openers must be referenced using an asset key");
            }
            DataManager opener = context.dataManagers().get(input.getAssetKey());
            if (opener == null) {
              throw OrchestrationException.notFound("datamanager", input.getAssetKey());
            }
            if (!PermissionRules.canProcess(opener.getPermissions(), owner)) {
              throw OrchestrationException.permissionDenied(
                  "not authorized to process datamanager \"" + opener.getKey() + "\"");
            }
          }
          case ASSET_DATA_SAMPLE -> {
            if (!input.hasAssetKey()) {
              throw invalid("data samples must be referenced using an asset key");
            }
            DataSample sample = context.dataSamples().get(input.getAssetKey());
            if (sample == null) {
              throw OrchestrationException.notFound("datasample", input.getAssetKey());
            }
            samples.add(sample);
          }
          case ASSET_MODEL -> checkModelInput(input, expected, worker);
          default -> throw invalid("unsupported input kind " + expected.getKind());
        }
      }
      for (Map.Entry<String, FunctionInput> expected : function.getInputsMap().entrySet()) {
        if (!expected.getValue().getOptional() && !seen.containsKey(expected.getKey())) {
          throw invalid("missing task input \"" + expected.getKey() + "\"");
        }
      }
      if (dataManager != null) {
        for (DataSample sample : samples) {
          if (!sample.getDataManagerKeysList().contains(dataManager.getKey())) {
            throw invalid("datasamples do not share a common manager");
          }
        }
      }
    }

    private void checkModelInput(ComputeTaskInput input, FunctionInput expected, String worker) {
      String identifier = input.getIdentifier();
      if (input.hasAssetKey()) {
        Model model = context.models().get(input.getAssetKey());
        if (model == null) {
          throw OrchestrationException.notFound("model", input.getAssetKey());
        }
        if (!PermissionRules.canProcess(model.getPermissions(), worker)) {
          throw OrchestrationException.permissionDenied(
              "not authorized to process model \"" + model.getKey() + "\"");
        }
        return;
      }
      ComputeTask parent = parent(input.getParentTaskOutput().getParentTaskKey());
      String outputName = input.getParentTaskOutput().getOutputIdentifier();
      Function parentFunction = context.functions().get(parent.getFunctionKey());
      FunctionOutput produced =
          parentFunction == null ? null : parentFunction.getOutputsMap().get(outputName);
      if (produced == null) {
        throw invalid(
            "function \"" + parent.getFunctionKey() + "\" has no output \"" + outputName + "\"");
      }
      if (produced.getKind() != expected.getKind()) {
        throw invalid(
            "task input \""
                + identifier
                + "\" of kind "
                + expected.getKind()
                + " cannot receive output \""
                + outputName
                + "\" of kind "
                + produced.getKind());
      }
      if (produced.getMultiple() && !expected.getMultiple()) {
        throw invalid(
            "output \""
                + outputName
                + "\" is multiple and cannot feed the single task input \""
                + identifier
                + "\"");
      }
      ComputeTaskOutput output = parent.getOutputsMap().get(outputName);
      if (output == null) {
        throw invalid(
            "parent task \"" + parent.getKey() + "\" has no output \"" + outputName + "\"");
      }
      if (!PermissionRules.canProcess(output.getPermissions(), worker)) {
        throw OrchestrationException.permissionDenied(
            "not authorized to process output \""
                + outputName
                + "\" of task \""
                + parent.getKey()
                + "\"");
      }
    }

    /** Step 11. */
    private void checkOutputs(Function function, Map<String, ComputeTaskOutput> outputs) {
      for (String identifier : outputs.keySet()) {
        if (!function.getOutputsMap().containsKey(identifier)) {
          throw invalid("unknown task output \"" + identifier + "\"");
        }
      }
      for (Map.Entry<String, FunctionOutput> expected : function.getOutputsMap().entrySet()) {
        ComputeTaskOutput output = outputs.get(expected.getKey());
        if (output == null) {
          throw invalid("missing task output \"" + expected.getKey() + "\"");
        }
        if (expected.getValue().getKind() == AssetKind.ASSET_PERFORMANCE
            && (!output.getPermissions().getProcess().getPublic() || output.getTransient())) {
          throw invalid(
              "performance output \"" + expected.getKey() + "\" must be public and not transient");
        }
      }
    }

    private static OrchestrationException invalid(String message) {
      return new OrchestrationException(ErrorKind.INVALID_ASSET, message);
    }
  }
}
