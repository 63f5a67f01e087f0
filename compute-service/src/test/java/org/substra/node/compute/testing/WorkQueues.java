package org.substra.node.compute.testing;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.substra.node.testing.TestBroker;

/**
 * Publishes work messages as event-service does (same exchange type, routing keys, properties and
 * JSON), on the test names {@code compute-test.*} of the test vhost.
 */
public final class WorkQueues implements AutoCloseable {

  public static final String EXCHANGE = "compute-test.compute";
  public static final String BUILD_QUEUE = "compute-test.compute.builds";
  public static final String TASK_QUEUE_PREFIX = "compute-test.compute.tasks";

  private final Connection connection;
  private final Channel channel;

  public WorkQueues() {
    try {
      connection = TestBroker.connectionFactory().newConnection("compute-service-tests");
      channel = connection.createChannel();
      channel.exchangeDeclare(EXCHANGE, "direct", true);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Removes what an earlier run left in the queues. */
  public void purge() throws Exception {
    for (String queue : new String[] {BUILD_QUEUE, TASK_QUEUE_PREFIX + ".0"}) {
      channel.queueDeclare(queue, true, false, false, null);
      channel.queuePurge(queue);
    }
  }

  public void build(String channelName, String function, String owner) throws Exception {
    publish(
        "build",
        "build:" + function,
        new JsonObject()
            .put("kind", "build")
            .put("channel", channelName)
            .put("function_key", function)
            .put("owner", owner)
            .put("event_id", "test"));
  }

  public void task(String channelName, String task, String plan, String function) throws Exception {
    publish(
        "task.0",
        "task:" + task,
        new JsonObject()
            .put("kind", "task")
            .put("channel", channelName)
            .put("task_key", task)
            .put("compute_plan_key", plan)
            .put("function_key", function)
            .put("worker", "MyOrg1MSP")
            .put("rank", 0)
            .put("event_id", "test"));
  }

  public void cancel(String channelName, String plan) throws Exception {
    publish(
        "task.0",
        "cancel:" + plan,
        new JsonObject()
            .put("kind", "cancel")
            .put("channel", channelName)
            .put("compute_plan_key", plan)
            .put("plan_status", "PLAN_STATUS_CANCELED")
            .put("event_id", "test"));
  }

  public void teardown(String channelName, String plan, String status) throws Exception {
    publish(
        "task.0",
        "teardown:" + plan + ":1",
        new JsonObject()
            .put("kind", "teardown")
            .put("channel", channelName)
            .put("compute_plan_key", plan)
            .put("plan_status", status)
            .put("event_id", "test"));
  }

  private void publish(String routingKey, String id, JsonObject body) throws Exception {
    String kind = body.getString("kind");
    channel.basicPublish(
        EXCHANGE,
        routingKey,
        new AMQP.BasicProperties.Builder()
            .contentType("application/json")
            .deliveryMode(2)
            .messageId(id)
            .type(kind)
            .headers(Map.of("kind", kind))
            .build(),
        body.encode().getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void close() throws Exception {
    connection.abort(1000);
  }
}
