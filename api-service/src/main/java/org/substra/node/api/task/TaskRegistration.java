package org.substra.node.api.task;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.substra.node.api.computeplan.ComputePlanReadModel;
import org.substra.node.api.error.ApiException;
import org.substra.node.api.orchestrator.Orchestrator;
import org.substra.node.api.registration.RequestJson;
import org.substra.node.api.registration.Visibility;
import org.substra.node.orchestrator.protocol.ComputeTask;
import org.substra.node.orchestrator.protocol.ComputeTaskInput;
import org.substra.node.orchestrator.protocol.NewComputeTask;
import org.substra.node.orchestrator.protocol.NewComputeTaskOutput;
import org.substra.node.orchestrator.protocol.ParentTaskOutputRef;
import org.substra.node.orchestrator.protocol.RegisterTasksParam;

/**
 * Registers a batch of tasks of one compute plan ({@code POST /task/bulk_create/}, REST spec §4.7):
 * the request is read here, the rules are the orchestrator's.
 */
@ApplicationScoped
public class TaskRegistration {

  /** Where the reference keeps a task's tag: a metadata entry users cannot write themselves. */
  static final String TAG_METADATA_KEY = "__tag__";

  private final Orchestrator orchestrator;
  private final ComputePlanReadModel plans;
  private final TaskReadModel tasks;
  private final Visibility visibility;

  TaskRegistration(
      Orchestrator orchestrator,
      ComputePlanReadModel plans,
      TaskReadModel tasks,
      Visibility visibility) {
    this.orchestrator = orchestrator;
    this.plans = plans;
    this.tasks = tasks;
    this.visibility = visibility;
  }

  /** The registered tasks, as {@code GET /task/{key}/} shows them, in registration order. */
  public List<Map<String, Object>> register(String channel, String base, String body) {
    RequestJson request = RequestJson.parse(body, "the request body");
    JsonNode batch = request.node().get("tasks");
    if (batch == null || !batch.isArray()) {
      throw ApiException.field(400, "tasks", "Expected a list of tasks.");
    }
    List<NewComputeTask> news = new ArrayList<>();
    String plan = null;
    for (JsonNode each : batch) {
      NewComputeTask task = task(RequestJson.of(each));
      if (plan != null && !plan.equals(task.getComputePlanKey())) {
        throw ApiException.detail(400, "All tasks should have the same compute plan key");
      }
      plan = task.getComputePlanKey();
      news.add(task);
    }
    String planKey = plan;
    if (planKey == null || plans.get(channel, planKey).await().indefinitely() == null) {
      throw ApiException.detail(400, "Invalid compute plan key");
    }
    List<ComputeTask> registered =
        orchestrator
            .registerTasks(channel, RegisterTasksParam.newBuilder().addAllTasks(news).build())
            .await()
            .indefinitely()
            .getTasksList();
    // The batch is one orchestrator transaction, projected in order: its last task comes last.
    String last = registered.get(registered.size() - 1).getKey();
    visibility.await(() -> tasks.get(channel, last, base), "The tasks");
    List<Map<String, Object>> answer = new ArrayList<>();
    for (ComputeTask task : registered) {
      Map<String, Object> view =
          new LinkedHashMap<>(tasks.get(channel, task.getKey(), base).await().indefinitely());
      view.remove("duration");
      answer.add(view);
    }
    return answer;
  }

  private static NewComputeTask task(RequestJson task) {
    Map<String, String> metadata = task.metadata();
    String tag = task.text("tag", "");
    if (tag.length() > 100) {
      throw ApiException.field(400, "tag", "Ensure this field has no more than 100 characters.");
    }
    if (!tag.isEmpty()) {
      metadata.put(TAG_METADATA_KEY, tag);
    }
    NewComputeTask.Builder builder =
        NewComputeTask.newBuilder()
            .setKey(task.uuid("key"))
            .setComputePlanKey(task.uuid("compute_plan_key"))
            .setFunctionKey(task.uuid("function_key"))
            .setWorker(task.text("worker", ""))
            .putAllMetadata(metadata);
    JsonNode inputs = task.node().get("inputs");
    if (inputs != null && !inputs.isNull()) {
      if (!inputs.isArray()) {
        throw ApiException.field(400, "inputs", "Expected a list of inputs.");
      }
      for (JsonNode input : inputs) {
        builder.addInputs(input(RequestJson.of(input)));
      }
    }
    JsonNode outputs = task.node().get("outputs");
    if (outputs != null && !outputs.isNull()) {
      if (!outputs.isObject()) {
        throw ApiException.field(400, "outputs", "Expected an object keyed by identifier.");
      }
      for (var output : outputs.properties()) {
        RequestJson declared = RequestJson.of(output.getValue());
        JsonNode transientFlag = declared.node().get("transient");
        builder.putOutputs(
            output.getKey(),
            NewComputeTaskOutput.newBuilder()
                .setPermissions(declared.permissions("permissions"))
                .setTransient(transientFlag != null && transientFlag.asBoolean(false))
                .build());
      }
    }
    return builder.build();
  }

  private static ComputeTaskInput input(RequestJson input) {
    ComputeTaskInput.Builder builder =
        ComputeTaskInput.newBuilder().setIdentifier(input.text("identifier", ""));
    String asset = input.text("asset_key", null);
    String parent = input.text("parent_task_key", null);
    if (asset != null) {
      builder.setAssetKey(RequestJson.uuid("asset_key", asset));
    } else if (parent != null) {
      builder.setParentTaskOutput(
          ParentTaskOutputRef.newBuilder()
              .setParentTaskKey(RequestJson.uuid("parent_task_key", parent))
              .setOutputIdentifier(input.text("parent_task_output_identifier", "")));
    } else {
      throw ApiException.field(
          400, "inputs", "Each input needs an \"asset_key\" or a \"parent_task_key\".");
    }
    return builder.build();
  }
}
