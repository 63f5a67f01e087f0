package org.substra.node.event.dispatch;

import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import org.substra.node.event.config.EventConfig;
import org.substra.node.orchestrator.protocol.ComputeTask;
import org.substra.node.orchestrator.protocol.Function;

/**
 * Builds the work messages and picks their routing keys: builds go to the shared build queue; a
 * plan's task, cancel and teardown messages all go to one task queue, {@code crc32(plan key) mod
 * n}, so the tasks of a plan reach the same compute replica (worker-spec §2.2) in the order they
 * became ready.
 */
@ApplicationScoped
public class WorkRouting {

  static final String BUILD_ROUTING_KEY = "build";

  private final EventConfig.Dispatch config;

  WorkRouting(EventConfig config) {
    this.config = config.dispatch();
  }

  public static int taskQueueIndex(String planKey, int taskQueues) {
    CRC32 crc = new CRC32();
    crc.update(planKey.getBytes(StandardCharsets.UTF_8));
    return (int) (crc.getValue() % taskQueues);
  }

  public String taskRoutingKey(String planKey) {
    return "task." + taskQueueIndex(planKey, config.taskQueues());
  }

  public WorkMessage build(String channel, Function function, String eventId) {
    return new WorkMessage(
        "build:" + function.getKey(),
        WorkMessage.Kind.BUILD,
        BUILD_ROUTING_KEY,
        new JsonObject()
            .put("kind", WorkMessage.Kind.BUILD.wireName())
            .put("channel", channel)
            .put("function_key", function.getKey())
            .put("owner", function.getOwner())
            .put("event_id", eventId));
  }

  public WorkMessage task(String channel, ComputeTask task, String eventId) {
    return new WorkMessage(
        "task:" + task.getKey(),
        WorkMessage.Kind.TASK,
        taskRoutingKey(task.getComputePlanKey()),
        new JsonObject()
            .put("kind", WorkMessage.Kind.TASK.wireName())
            .put("channel", channel)
            .put("task_key", task.getKey())
            .put("compute_plan_key", task.getComputePlanKey())
            .put("function_key", task.getFunctionKey())
            .put("worker", task.getWorker())
            .put("rank", task.getRank())
            .put("event_id", eventId));
  }

  public WorkMessage cancel(String channel, String planKey, String planStatus, String eventId) {
    return new WorkMessage(
        "cancel:" + planKey,
        WorkMessage.Kind.CANCEL,
        taskRoutingKey(planKey),
        new JsonObject()
            .put("kind", WorkMessage.Kind.CANCEL.wireName())
            .put("channel", channel)
            .put("compute_plan_key", planKey)
            .put("plan_status", planStatus)
            .put("event_id", eventId));
  }

  /**
   * The plan is over (DONE, FAILED or CANCELED): the replica that ran its tasks deletes its pods
   * and work directory (worker-spec §2.11). Behind the plan's tasks in its queue, so it comes after
   * them. The id carries the task count: a DONE plan that gets new tasks and ends again is torn
   * down again, while every event of one ending maps to one message.
   */
  public WorkMessage teardown(
      String channel, String planKey, String planStatus, int taskCount, String eventId) {
    return new WorkMessage(
        "teardown:" + planKey + ":" + taskCount,
        WorkMessage.Kind.TEARDOWN,
        taskRoutingKey(planKey),
        new JsonObject()
            .put("kind", WorkMessage.Kind.TEARDOWN.wireName())
            .put("channel", channel)
            .put("compute_plan_key", planKey)
            .put("plan_status", planStatus)
            .put("event_id", eventId));
  }
}
