package org.substra.node.compute.work;

import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.Delivery;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import org.substra.node.compute.build.BuildProcessor;
import org.substra.node.compute.config.ComputeConfig;
import org.substra.node.compute.executor.Executor;
import org.substra.node.compute.executor.ExecutorSelection;
import org.substra.node.compute.task.TaskProcessor;
import org.substra.node.health.rabbitmq.RabbitMqConfig;

/**
 * Consumes the work messages event-service publishes (its README, "Work messages"): builds from the
 * shared build queue, tasks and cancels from this replica's task queue. A message is acknowledged
 * only once its outcome is recorded in the orchestrator, so a crash redelivers it; the
 * orchestrator's state makes a duplicate harmless. Tasks of one plan run one at a time, in arrival
 * order; up to {@code compute.concurrency} plans run at once. Cancels are handled at once, never
 * queued behind the task they stop; a plan's teardown waits behind its tasks.
 */
@ApplicationScoped
public class WorkConsumer {

  private static final Logger LOG = Logger.getLogger(WorkConsumer.class);

  private final ComputeConfig config;
  private final RabbitMqConfig rabbitmq;
  private final ExecutorSelection executors;
  private final TaskProcessor tasks;
  private final BuildProcessor builds;
  private final PlanTeardown teardowns;
  private final Map<String, CompletableFuture<Void>> planTails = new ConcurrentHashMap<>();
  private ExecutorService taskPool;
  private ExecutorService buildPool;
  private ExecutorService cancelPool;
  private volatile Connection connection;
  private volatile boolean stopping;
  private Thread connector;

  WorkConsumer(
      ComputeConfig config,
      RabbitMqConfig rabbitmq,
      ExecutorSelection executors,
      TaskProcessor tasks,
      BuildProcessor builds,
      PlanTeardown teardowns) {
    this.config = config;
    this.rabbitmq = rabbitmq;
    this.executors = executors;
    this.tasks = tasks;
    this.builds = builds;
    this.teardowns = teardowns;
  }

  void start(@Observes StartupEvent started) {
    Optional<Executor> executor = executors.executor();
    if (executor.isEmpty()) {
      LOG.errorf("executor %s is not available: no work is consumed", config.executor());
      return;
    }
    taskPool = Executors.newFixedThreadPool(config.concurrency(), named("compute-task"));
    buildPool =
        Executors.newFixedThreadPool(config.work().buildConcurrency(), named("compute-build"));
    cancelPool = Executors.newSingleThreadExecutor(named("compute-cancel"));
    // the broker may be down at start: keep trying in the background, readiness tells meanwhile
    connector = new Thread(() -> connectUntilDone(executor.get()), "compute-work-connector");
    connector.setDaemon(true);
    connector.start();
  }

  void stop(@Observes ShutdownEvent stopped) {
    stopping = true;
    if (connector != null) {
      connector.interrupt();
    }
    // unacknowledged messages go back to their queue; interrupted tasks stop their processes
    if (connection != null) {
      try {
        connection.abort(2000);
      } catch (RuntimeException e) {
        LOG.debug("closing the broker connection", e);
      }
    }
    for (ExecutorService pool : new ExecutorService[] {taskPool, buildPool, cancelPool}) {
      if (pool != null) {
        pool.shutdownNow();
      }
    }
    for (ExecutorService pool : new ExecutorService[] {taskPool, buildPool, cancelPool}) {
      if (pool != null) {
        try {
          pool.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  /** This replica's task queue index: configured, else the StatefulSet ordinal of HOSTNAME. */
  int replicaIndex() {
    return config
        .work()
        .replicaIndex()
        .orElseGet(
            () -> {
              String host = System.getenv().getOrDefault("HOSTNAME", "");
              java.util.regex.Matcher ordinal =
                  java.util.regex.Pattern.compile("-(\\d+)$").matcher(host);
              return ordinal.find() ? Integer.parseInt(ordinal.group(1)) : 0;
            });
  }

  private void connectUntilDone(Executor executor) {
    while (!stopping) {
      try {
        connect(executor);
        return;
      } catch (Exception e) {
        LOG.warnf("cannot consume work messages yet: %s", e.toString());
        try {
          Thread.sleep(2000);
        } catch (InterruptedException interrupted) {
          return;
        }
      }
    }
  }

  private void connect(Executor executor) throws Exception {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost(rabbitmq.host());
    factory.setPort(rabbitmq.port());
    factory.setUsername(rabbitmq.username());
    factory.setPassword(rabbitmq.password());
    factory.setVirtualHost(rabbitmq.virtualHost());
    factory.setAutomaticRecoveryEnabled(true);
    factory.setNetworkRecoveryInterval(2000);
    Connection opened = factory.newConnection("compute-service");
    ComputeConfig.Work work = config.work();
    String taskQueue = work.taskQueuePrefix() + "." + replicaIndex();

    Channel declarations = opened.createChannel();
    // the same declarations as event-service, so either may start first
    declarations.exchangeDeclare(work.exchange(), BuiltinExchangeType.DIRECT, true);
    declarations.queueDeclare(work.buildQueue(), true, false, false, null);
    declarations.queueBind(work.buildQueue(), work.exchange(), "build");
    declarations.queueDeclare(taskQueue, true, false, false, null);
    declarations.queueBind(taskQueue, work.exchange(), "task." + replicaIndex());
    declarations.close();

    Channel buildChannel = opened.createChannel();
    buildChannel.basicQos(work.buildConcurrency());
    buildChannel.basicConsume(
        work.buildQueue(),
        false,
        (tag, delivery) -> buildPool.execute(() -> handleBuild(executor, buildChannel, delivery)),
        tag -> {});

    Channel taskChannel = opened.createChannel();
    // room for cancels and for the next tasks of plans already running
    taskChannel.basicQos(config.concurrency() * 4 + 16);
    taskChannel.basicConsume(
        taskQueue, false, (tag, delivery) -> dispatch(executor, taskChannel, delivery), tag -> {});
    connection = opened;
    LOG.infof("consuming %s and %s", work.buildQueue(), taskQueue);
  }

  private void dispatch(Executor executor, Channel channel, Delivery delivery) {
    JsonObject message;
    try {
      message =
          new JsonObject(new String(delivery.getBody(), java.nio.charset.StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      LOG.warnf("dropping a message that is not JSON: %s", delivery.getProperties().getMessageId());
      ack(channel, delivery);
      return;
    }
    String kind = message.getString("kind", "");
    String plan = message.getString("compute_plan_key", "");
    if (kind.equals("cancel")) {
      cancelPool.execute(
          () -> {
            if (executor.stop(plan)) {
              LOG.infof(
                  "stopped the running task of plan %s (%s)",
                  plan, message.getString("plan_status"));
            }
            ack(channel, delivery);
          });
      return;
    }
    if (kind.equals("task")) {
      inPlanOrder(plan, () -> handleTask(executor, channel, delivery, message));
    } else if (kind.equals("teardown")) {
      // behind the plan's tasks, like upstream's teardown taking the plan lock
      inPlanOrder(plan, () -> handleTeardown(executor, channel, delivery, plan));
    } else {
      LOG.warnf("dropping a work message of kind '%s'", kind);
      ack(channel, delivery);
    }
  }

  /** Work of one plan runs one at a time: each waits for the previous one of its plan. */
  private void inPlanOrder(String plan, Runnable work) {
    planTails.compute(
        plan,
        (key, tail) -> {
          CompletableFuture<Void> previous =
              tail == null ? CompletableFuture.completedFuture(null) : tail;
          CompletableFuture<Void> next = previous.thenRunAsync(work, taskPool);
          next.whenComplete((ignored, failure) -> planTails.remove(key, next));
          return next;
        });
  }

  private void handleTeardown(Executor executor, Channel channel, Delivery delivery, String plan) {
    handle(
        channel,
        delivery,
        "teardown of plan " + plan,
        () -> teardowns.tearDown(executor, plan),
        // what is left (a pod, files) is only space: the next teardown of the plan, or an
        // operator, frees it
        () -> LOG.errorf("plan %s could not be torn down; its pods or files remain", plan));
  }

  private void handleTask(Executor executor, Channel channel, Delivery delivery, JsonObject task) {
    String ch = task.getString("channel");
    String key = task.getString("task_key");
    handle(
        channel,
        delivery,
        "task " + key,
        () -> tasks.process(executor, ch, key),
        () -> tasks.giveUp(ch, key));
  }

  private void handleBuild(Executor executor, Channel channel, Delivery delivery) {
    JsonObject build;
    try {
      build =
          new JsonObject(new String(delivery.getBody(), java.nio.charset.StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      ack(channel, delivery);
      return;
    }
    String ch = build.getString("channel");
    String key = build.getString("function_key");
    handle(
        channel,
        delivery,
        "build of " + key,
        () -> builds.process(executor, ch, key),
        () -> builds.giveUp(ch, key));
  }

  @FunctionalInterface
  interface Work {
    void run() throws Exception;
  }

  @FunctionalInterface
  interface GiveUp {
    void run() throws Exception;
  }

  private void handle(Channel channel, Delivery delivery, String what, Work work, GiveUp giveUp) {
    int attempts = config.work().maxAttempts();
    for (int attempt = 1; attempt <= attempts && !stopping; attempt++) {
      try {
        work.run();
        ack(channel, delivery);
        return;
      } catch (InterruptedException e) {
        // shutting down: the message goes back to the queue with the connection
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) {
        if (stopping || Thread.currentThread().isInterrupted()) {
          return;
        }
        LOG.warnf(e, "%s failed (attempt %d of %d)", what, attempt, attempts);
        if (attempt < attempts) {
          try {
            Thread.sleep(config.work().retryDelay().toMillis());
          } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return;
          }
        }
      }
    }
    if (stopping) {
      return;
    }
    try {
      giveUp.run();
      ack(channel, delivery);
    } catch (Exception e) {
      LOG.errorf(e, "%s: the failure cannot be reported, the message is put back", what);
      try {
        Thread.sleep(config.work().retryDelay().toMillis());
        channel.basicNack(delivery.getEnvelope().getDeliveryTag(), false, true);
      } catch (IOException | InterruptedException | RuntimeException nack) {
        LOG.debug("nack", nack);
      }
    }
  }

  private static void ack(Channel channel, Delivery delivery) {
    try {
      channel.basicAck(delivery.getEnvelope().getDeliveryTag(), false);
    } catch (IOException | RuntimeException e) {
      // the channel closed: the broker redelivers, and the orchestrator state drops the duplicate
      LOG.debugf("ack lost: %s", e.toString());
    }
  }

  private static java.util.concurrent.ThreadFactory named(String prefix) {
    java.util.concurrent.atomic.AtomicInteger count =
        new java.util.concurrent.atomic.AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
