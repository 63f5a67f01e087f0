package org.substra.node.event.bench;

import com.google.protobuf.Timestamp;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.postgresql.ds.PGSimpleDataSource;
import org.substra.node.event.testing.Broker;
import org.substra.node.event.testing.EventServiceProcess;
import org.substra.node.orchestrator.protocol.Addressable;
import org.substra.node.orchestrator.protocol.ComputePlan;
import org.substra.node.orchestrator.protocol.ComputeTask;
import org.substra.node.orchestrator.protocol.ComputeTaskInput;
import org.substra.node.orchestrator.protocol.ComputeTaskOutput;
import org.substra.node.orchestrator.protocol.ComputeTaskOutputAsset;
import org.substra.node.orchestrator.protocol.ComputeTaskStatus;
import org.substra.node.orchestrator.protocol.Event;
import org.substra.node.orchestrator.protocol.EventKind;
import org.substra.node.orchestrator.protocol.Model;
import org.substra.node.orchestrator.protocol.Permission;
import org.substra.node.orchestrator.protocol.Permissions;

/**
 * Event → read model figures for the packaged event-service, fed directly on RabbitMQ with the
 * orchestrator's message format (a plan, then per task: created, executing, model, output asset,
 * done; 51 events per plan of 10 tasks, half of them dispatched to this organization).
 *
 * <ol>
 *   <li>lag: events published at a steady rate; lag = when the event's position is visible in
 *       {@code channel_progress} (polled every millisecond) − when it was published;
 *   <li>backlog: N events queued while the service is down, then the service started; rate = N /
 *       time from the first to the last position visible.
 * </ol>
 *
 * Arguments: rate (events/s, 500), measured duration (s, 30, after 5 s of warm-up), backlog
 * (events, 100000).
 */
public final class EventServiceBenchmark {

  private static final String EXCHANGE = "events-bench.orchestrator";
  private static final String QUEUE = "events-bench.MyOrg1MSP";
  private static final Permission PUBLIC = Permission.newBuilder().setPublic(true).build();

  public static void main(String[] args) throws Exception {
    int rate = args.length > 0 ? Integer.parseInt(args[0]) : 500;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
    int backlog = args.length > 2 ? Integer.parseInt(args[2]) : 100_000;

    PGSimpleDataSource db = new PGSimpleDataSource();
    db.setUrl("jdbc:postgresql://127.0.0.1:5432/substra_test?currentSchema=read_model");
    db.setUser("substra");
    db.setPassword("substra");

    System.out.printf("== lag at %d events/s for %d s%n", rate, seconds);
    lag(db, rate, seconds);
    System.out.printf("== backlog of %d events%n", backlog);
    backlog(db, backlog);
  }

  private static Map<String, String> settings(String channel, boolean clean) {
    Map<String, String> settings = new HashMap<>();
    settings.put("quarkus.datasource.reactive.url", "postgresql://127.0.0.1:5432/substra_test");
    settings.put("quarkus.datasource.jdbc.url", "jdbc:postgresql://127.0.0.1:5432/substra_test");
    settings.put("node.rabbitmq.virtual-host", "substra_test");
    settings.put("events.channels", channel);
    settings.put("events.consumption.exchange", EXCHANGE);
    settings.put("events.consumption.queue", QUEUE);
    settings.put("events.dispatch.exchange", "events-bench.compute");
    settings.put("events.dispatch.build-queue", "events-bench.compute.builds");
    settings.put("events.dispatch.task-queue-prefix", "events-bench.compute.tasks");
    settings.put("quarkus.log.level", "WARN");
    if (clean) {
      settings.put("quarkus.flyway.clean-disabled", "false");
      settings.put("quarkus.flyway.clean-at-start", "true");
    }
    return settings;
  }

  private static void lag(PGSimpleDataSource db, int rate, int seconds) throws Exception {
    String channel = "bench-" + UUID.randomUUID().toString().substring(0, 8);
    resetQueues();
    Path log = Path.of("target", "bench-event-service.log");
    try (EventServiceProcess service =
            EventServiceProcess.start(settings(channel, true), log, "/q/health/live");
        Broker broker = new Broker()) {
      declare(broker.channel());
      awaitQueueConsumed(broker.channel());
      // The first 5 s warm the JVMs up and are not counted.
      int warmUp = rate * 5;
      int total = warmUp + rate * seconds;
      List<Event> events = workload(channel, total);
      AtomicLongArray published = new AtomicLongArray(total + 1);
      AtomicLongArray visible = new AtomicLongArray(total + 1);
      Thread watcher = watch(db, channel, total, visible);
      long start = System.nanoTime();
      long interval = 1_000_000_000L / rate;
      for (int i = 0; i < total; i++) {
        long due = start + i * interval;
        // Parked, not spinning: two cores are shared with the service under test.
        for (long now = System.nanoTime(); now < due; now = System.nanoTime()) {
          java.util.concurrent.locks.LockSupport.parkNanos(due - now);
        }
        published.set(i + 1, System.nanoTime());
        publish(broker.channel(), events.get(i), i + 1);
      }
      watcher.join(120_000);
      int measured = total - warmUp;
      long[] lags = new long[measured];
      for (int i = warmUp + 1; i <= total; i++) {
        lags[i - warmUp - 1] = visible.get(i) - published.get(i);
      }
      Arrays.sort(lags);
      System.out.printf(
          "events %d (after %d to warm up), sent over %.1f s; lag p50 %.1f ms, p99 %.1f ms,"
              + " max %.1f ms%n",
          measured,
          warmUp,
          (published.get(total) - published.get(warmUp + 1)) / 1e9,
          lags[measured / 2] / 1e6,
          lags[(int) (measured * 0.99)] / 1e6,
          lags[measured - 1] / 1e6);
    }
  }

  private static void backlog(PGSimpleDataSource db, int count) throws Exception {
    String channel = "bench-" + UUID.randomUUID().toString().substring(0, 8);
    resetQueues();
    Path log = Path.of("target", "bench-event-service.log");
    // A first start declares the queue and its binding, empty; then the backlog piles up.
    EventServiceProcess.start(settings(channel, true), log, "/q/health/live").close();
    try (Broker broker = new Broker()) {
      declare(broker.channel());
      List<Event> events = workload(channel, count);
      broker.channel().confirmSelect();
      for (int i = 0; i < count; i++) {
        publish(broker.channel(), events.get(i), i + 1);
      }
      broker.channel().waitForConfirmsOrDie(60_000);
      System.out.printf(
          "queued %d events (%d in the queue)%n", count, broker.channel().messageCount(QUEUE));
    }
    AtomicLongArray visible = new AtomicLongArray(count + 1);
    Thread watcher = watch(db, channel, count, visible);
    try (EventServiceProcess service =
        EventServiceProcess.start(settings(channel, false), log, "/q/health/live")) {
      watcher.join(600_000);
    }
    long first = Long.MAX_VALUE;
    for (int i = 1; i <= count; i++) {
      if (visible.get(i) != 0) {
        first = Math.min(first, visible.get(i));
      }
    }
    double seconds = (visible.get(count) - first) / 1e9;
    System.out.printf(
        "projected %d events in %.1f s: %.0f events/s%n", count, seconds, count / seconds);
  }

  /** Polls the channel's progress, dating each position when it becomes visible. */
  private static Thread watch(
      PGSimpleDataSource db, String channel, int total, AtomicLongArray visible) {
    Thread watcher =
        new Thread(
            () -> {
              long seen = 0;
              try (Connection connection = db.getConnection();
                  PreparedStatement select =
                      connection.prepareStatement(
                          "SELECT position FROM channel_progress WHERE channel = ?")) {
                select.setString(1, channel);
                while (seen < total) {
                  long position = 0;
                  try (ResultSet row = select.executeQuery()) {
                    if (row.next()) {
                      position = row.getLong(1);
                    }
                  } catch (Exception tableNotThereYet) {
                    // The service is migrating.
                  }
                  long now = System.nanoTime();
                  for (long p = seen + 1; p <= position; p++) {
                    visible.set((int) p, now);
                  }
                  seen = Math.max(seen, position);
                  Thread.sleep(1);
                }
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            },
            "progress-watcher");
    watcher.start();
    return watcher;
  }

  private static void resetQueues() throws Exception {
    try (Broker broker = new Broker()) {
      broker.deleteQueues(
          QUEUE, QUEUE + ".dlq", "events-bench.compute.builds", "events-bench.compute.tasks.0");
    }
  }

  private static void declare(Channel channel) throws Exception {
    channel.exchangeDeclare(EXCHANGE, BuiltinExchangeType.TOPIC, true);
  }

  private static void awaitQueueConsumed(Channel channel) throws Exception {
    for (int i = 0; i < 200 && channel.consumerCount(QUEUE) == 0; i++) {
      Thread.sleep(100);
    }
  }

  private static void publish(Channel channel, Event event, long position) throws Exception {
    Event stamped = event.toBuilder().setTimestamp(now()).build();
    channel.basicPublish(
        EXCHANGE,
        event.getChannel(),
        new AMQP.BasicProperties.Builder()
            .contentType("application/x-protobuf; proto=orchestrator.Event")
            .deliveryMode(2)
            .messageId(event.getId())
            .headers(Map.of("channel", event.getChannel(), "position", position))
            .build(),
        stamped.toByteArray());
  }

  private static Timestamp now() {
    Instant now = Instant.now();
    return Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()).build();
  }

  private static final AtomicLong SEQUENCE = new AtomicLong();

  /** {@code count} events: plans of 10 tasks, each task created, run, given a model, done. */
  static List<Event> workload(String channel, int count) {
    List<Event> events = new ArrayList<>(count);
    Timestamp zero = now();
    Addressable address =
        Addressable.newBuilder()
            .setChecksum("a".repeat(64))
            .setStorageAddress("http://bench.example/x/")
            .build();
    Permissions permissions =
        Permissions.newBuilder().setProcess(PUBLIC).setDownload(PUBLIC).build();
    String dataManager = UUID.randomUUID().toString();
    String function = UUID.randomUUID().toString();
    while (events.size() < count) {
      String plan = UUID.randomUUID().toString();
      events.add(
          event(channel, EventKind.EVENT_ASSET_CREATED)
              .setAssetKey(plan)
              .setComputePlan(
                  ComputePlan.newBuilder()
                      .setKey(plan)
                      .setOwner("MyOrg1MSP")
                      .setName("bench")
                      .setCreationDate(zero))
              .build());
      for (int t = 0; t < 10; t++) {
        String key = UUID.randomUUID().toString();
        ComputeTask.Builder task =
            ComputeTask.newBuilder()
                .setKey(key)
                .setOwner("MyOrg1MSP")
                .setComputePlanKey(plan)
                .setFunctionKey(function)
                .setWorker(t % 2 == 0 ? "MyOrg1MSP" : "MyOrg2MSP")
                .setLogsPermission(PUBLIC)
                .setCreationDate(zero)
                .setStatus(ComputeTaskStatus.STATUS_WAITING_FOR_EXECUTOR_SLOT)
                .addInputs(
                    ComputeTaskInput.newBuilder().setIdentifier("opener").setAssetKey(dataManager))
                .putOutputs(
                    "shared", ComputeTaskOutput.newBuilder().setPermissions(permissions).build());
        events.add(
            event(channel, EventKind.EVENT_ASSET_CREATED)
                .setAssetKey(key)
                .setComputeTask(task)
                .build());
        events.add(
            event(channel, EventKind.EVENT_ASSET_UPDATED)
                .setAssetKey(key)
                .setComputeTask(task.setStatus(ComputeTaskStatus.STATUS_EXECUTING))
                .build());
        String model = UUID.randomUUID().toString();
        events.add(
            event(channel, EventKind.EVENT_ASSET_CREATED)
                .setAssetKey(model)
                .setModel(
                    Model.newBuilder()
                        .setKey(model)
                        .setComputeTaskKey(key)
                        .setOwner("MyOrg1MSP")
                        .setAddress(address)
                        .setPermissions(permissions)
                        .setCreationDate(zero))
                .build());
        events.add(
            event(channel, EventKind.EVENT_ASSET_CREATED)
                .setAssetKey(key)
                .setComputeTaskOutputAsset(
                    ComputeTaskOutputAsset.newBuilder()
                        .setComputeTaskKey(key)
                        .setComputeTaskOutputIdentifier("shared")
                        .setAssetKind(org.substra.node.orchestrator.protocol.AssetKind.ASSET_MODEL)
                        .setAssetKey(model))
                .build());
        events.add(
            event(channel, EventKind.EVENT_ASSET_UPDATED)
                .setAssetKey(key)
                .setComputeTask(task.setStatus(ComputeTaskStatus.STATUS_DONE))
                .build());
      }
    }
    return events.subList(0, count);
  }

  private static Event.Builder event(String channel, EventKind kind) {
    return Event.newBuilder()
        .setId(UUID.randomUUID().toString())
        .setChannel(channel)
        .setEventKind(kind)
        .setTimestamp(now());
  }
}
