package org.substra.node.event.dispatch;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.jboss.logging.Logger;
import org.substra.node.event.config.EventConfig;
import org.substra.node.health.rabbitmq.RabbitMqConfig;

/**
 * Publishes the outbox to compute-service's queues, in recording order, and marks messages
 * published only once the broker confirmed them, in the transaction that holds the publisher lock.
 * A crash in between publishes them again (same message id): at least once, never lost. It declares
 * the exchange, the queues and their bindings, so that messages wait for compute-service even
 * before it first starts.
 *
 * <p>The plain RabbitMQ client is used here rather than a messaging channel: the queues to declare
 * depend on {@code events.dispatch.task-queues}, and publishing must be confirmed per batch before
 * the outbox rows are marked.
 */
@ApplicationScoped
public class WorkPublisher {

  static final String CONTENT_TYPE = "application/json";
  private static final Logger LOG = Logger.getLogger(WorkPublisher.class);

  private final DataSource dataSource;
  private final WorkOutbox outbox;
  private final EventConfig.Dispatch config;
  private final ConnectionFactory factory = new ConnectionFactory();
  private final Semaphore wakeUp = new Semaphore(0);
  private volatile boolean running;
  private Thread worker;
  private Connection connection;
  private Channel channel;
  private String lastFailure;

  WorkPublisher(
      DataSource dataSource, WorkOutbox outbox, EventConfig config, RabbitMqConfig broker) {
    this.dataSource = dataSource;
    this.outbox = outbox;
    this.config = config.dispatch();
    factory.setHost(broker.host());
    factory.setPort(broker.port());
    factory.setUsername(broker.username());
    factory.setPassword(broker.password());
    factory.setVirtualHost(broker.virtualHost());
    factory.setAutomaticRecoveryEnabled(false);
    factory.setConnectionTimeout(5_000);
    factory.setRequestedHeartbeat(10);
  }

  void start(@Observes StartupEvent event) {
    running = true;
    worker = new Thread(this::run, "work-publisher");
    worker.setDaemon(true);
    worker.start();
  }

  void stop(@Observes ShutdownEvent event) throws InterruptedException {
    running = false;
    if (worker != null) {
      worker.interrupt();
      worker.join(5_000);
    }
    closeBroker();
  }

  /** Called after a projection commit: there may be new messages. */
  public void wake() {
    if (wakeUp.availablePermits() == 0) {
      wakeUp.release();
    }
  }

  private void run() {
    while (running) {
      try {
        while (running && publishBatch() == config.publishBatchSize()) {
          // A full batch: more are probably waiting.
        }
        if (lastFailure != null) {
          LOG.info("publishing work messages again");
          lastFailure = null;
        }
        wakeUp.tryAcquire(config.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
        wakeUp.drainPermits();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) {
        if (!e.toString().equals(lastFailure)) {
          LOG.warnf("publishing work messages failed, retrying: %s", e.toString());
          lastFailure = e.toString();
        }
        closeBroker();
        try {
          Thread.sleep(config.pollInterval().toMillis());
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** Publishes the next batch; returns how many messages it published. */
  int publishBatch() throws Exception {
    try (java.sql.Connection db = dataSource.getConnection()) {
      db.setAutoCommit(false);
      try {
        if (!outbox.tryLock(db)) {
          db.rollback();
          return 0;
        }
        List<WorkOutbox.Pending> pending = outbox.unpublished(db, config.publishBatchSize());
        if (pending.isEmpty()) {
          db.rollback();
          return 0;
        }
        Channel broker = channel();
        List<String> ids = new ArrayList<>();
        for (WorkOutbox.Pending message : pending) {
          broker.basicPublish(
              config.exchange(),
              message.routingKey(),
              true,
              new AMQP.BasicProperties.Builder()
                  .contentType(CONTENT_TYPE)
                  .deliveryMode(2)
                  .messageId(message.id())
                  .type(message.kind())
                  .headers(Map.of("kind", message.kind()))
                  .build(),
              message.body().getBytes(java.nio.charset.StandardCharsets.UTF_8));
          ids.add(message.id());
        }
        broker.waitForConfirmsOrDie(10_000);
        outbox.markPublished(db, ids);
        db.commit();
        return ids.size();
      } catch (Exception e) {
        db.rollback();
        throw e;
      }
    }
  }

  private Channel channel() throws Exception {
    if (channel == null || !channel.isOpen()) {
      closeBroker();
      connection = factory.newConnection("event-service-work-publisher");
      channel = connection.createChannel();
      declareTopology(channel);
      channel.addReturnListener(
          returned ->
              LOG.errorf(
                  "work message %s was not routed (routing key %s): no queue is bound to it",
                  returned.getProperties().getMessageId(), returned.getRoutingKey()));
      channel.confirmSelect();
    }
    return channel;
  }

  private void declareTopology(Channel channel) throws Exception {
    channel.exchangeDeclare(config.exchange(), BuiltinExchangeType.DIRECT, true);
    channel.queueDeclare(config.buildQueue(), true, false, false, null);
    channel.queueBind(config.buildQueue(), config.exchange(), WorkRouting.BUILD_ROUTING_KEY);
    for (int i = 0; i < config.taskQueues(); i++) {
      String queue = config.taskQueuePrefix() + "." + i;
      channel.queueDeclare(queue, true, false, false, null);
      channel.queueBind(queue, config.exchange(), "task." + i);
    }
  }

  private void closeBroker() {
    if (connection != null) {
      connection.abort(1_000);
    }
    connection = null;
    channel = null;
  }
}
