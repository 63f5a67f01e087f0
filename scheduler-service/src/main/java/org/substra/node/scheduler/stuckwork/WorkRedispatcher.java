package org.substra.node.scheduler.stuckwork;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.substra.node.health.rabbitmq.RabbitMqConfig;

/**
 * Publishes a task's work message again on event-service's work exchange, with the routing key and
 * body event-service recorded (event-service README, "Work messages"). The message id gets a {@code
 * :redispatch-<n>} suffix: compute-service de-duplicates on the message id, and the first delivery
 * may have been acknowledged before the task was lost.
 *
 * <p>A connection per call: this runs a few times an hour at most.
 */
@Singleton
public class WorkRedispatcher {

  private final ConnectionFactory factory = new ConnectionFactory();
  private final StuckWorkConfig config;

  WorkRedispatcher(RabbitMqConfig broker, StuckWorkConfig config) {
    this.config = config;
    factory.setHost(broker.host());
    factory.setPort(broker.port());
    factory.setUsername(broker.username());
    factory.setPassword(broker.password());
    factory.setVirtualHost(broker.virtualHost());
    factory.setAutomaticRecoveryEnabled(false);
    factory.setConnectionTimeout(5_000);
  }

  /** Publishes {@code task}'s message as its {@code attempt}-th re-dispatch, broker-confirmed. */
  public void redispatch(StuckTaskRepository.Waiting task, int attempt) throws Exception {
    try (Connection connection = factory.newConnection("scheduler-service-redispatch");
        Channel channel = connection.createChannel()) {
      channel.confirmSelect();
      channel.basicPublish(
          config.workExchange(),
          task.routingKey(),
          true,
          new AMQP.BasicProperties.Builder()
              .contentType("application/json")
              .deliveryMode(2)
              .messageId("task:" + task.key() + ":redispatch-" + attempt)
              .type("task")
              .headers(Map.of("kind", "task", "redispatch", attempt))
              .build(),
          task.body().getBytes(StandardCharsets.UTF_8));
      channel.waitForConfirmsOrDie(10_000);
    }
  }
}
