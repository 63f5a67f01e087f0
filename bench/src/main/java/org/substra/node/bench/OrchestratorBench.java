package org.substra.node.bench;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DeliverCallback;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.AbstractStub;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.substra.node.orchestrator.protocol.Addressable;
import org.substra.node.orchestrator.protocol.ApplyFunctionActionParam;
import org.substra.node.orchestrator.protocol.AssetKind;
import org.substra.node.orchestrator.protocol.ComputePlanServiceGrpc;
import org.substra.node.orchestrator.protocol.ComputeTaskInput;
import org.substra.node.orchestrator.protocol.ComputeTaskServiceGrpc;
import org.substra.node.orchestrator.protocol.ComputeTaskStatus;
import org.substra.node.orchestrator.protocol.DataManagerServiceGrpc;
import org.substra.node.orchestrator.protocol.DataSampleServiceGrpc;
import org.substra.node.orchestrator.protocol.Event;
import org.substra.node.orchestrator.protocol.FunctionAction;
import org.substra.node.orchestrator.protocol.FunctionInput;
import org.substra.node.orchestrator.protocol.FunctionOutput;
import org.substra.node.orchestrator.protocol.FunctionServiceGrpc;
import org.substra.node.orchestrator.protocol.NewComputePlan;
import org.substra.node.orchestrator.protocol.NewComputeTask;
import org.substra.node.orchestrator.protocol.NewComputeTaskOutput;
import org.substra.node.orchestrator.protocol.NewDataManager;
import org.substra.node.orchestrator.protocol.NewDataSample;
import org.substra.node.orchestrator.protocol.NewFunction;
import org.substra.node.orchestrator.protocol.NewPermissions;
import org.substra.node.orchestrator.protocol.OrganizationServiceGrpc;
import org.substra.node.orchestrator.protocol.ParentTaskOutputRef;
import org.substra.node.orchestrator.protocol.ProfilingServiceGrpc;
import org.substra.node.orchestrator.protocol.ProfilingStep;
import org.substra.node.orchestrator.protocol.QueryTasksParam;
import org.substra.node.orchestrator.protocol.RegisterDataSamplesParam;
import org.substra.node.orchestrator.protocol.RegisterOrganizationParam;
import org.substra.node.orchestrator.protocol.RegisterTasksParam;
import org.substra.node.orchestrator.protocol.TaskQueryFilter;
import org.substra.node.orchestrator.protocol.UpdateFunctionParam;
import org.substra.node.orchestrator.protocol.client.CallerIdentity;

/**
 * The three orchestrator figures of issue 4, measured against a running orchestrator-service and
 * its RabbitMQ: a 10 000-task plan registered in batches of 400 (target under 10 s), QueryTasks on
 * one plan with 100 000 tasks in the database (pages of 100, target p95 under 10 ms), and the lag
 * from a committed write to its event on RabbitMQ at 500 events/s (target p99 under 20 ms).
 */
public final class OrchestratorBench {

  private static final String MSPID = env("BENCH_MSPID", "MyOrg1MSP");
  private static final String CHANNEL = env("BENCH_CHANNEL", "mychannel");

  private OrchestratorBench() {}

  public static void main(String[] args) throws Exception {
    int tasks = Integer.parseInt(env("BENCH_TASKS", "10000"));
    int batch = Integer.parseInt(env("BENCH_BATCH", "400"));
    int background = Integer.parseInt(env("BENCH_TOTAL_TASKS", "100000"));
    int queries = Integer.parseInt(env("BENCH_QUERIES", "2000"));
    int rate = Integer.parseInt(env("BENCH_EVENT_RATE", "500"));
    int seconds = Integer.parseInt(env("BENCH_EVENT_SECONDS", "10"));
    int perTransaction = Integer.parseInt(env("BENCH_EVENTS_PER_WRITE", "10"));
    ManagedChannel channel =
        ManagedChannelBuilder.forAddress(
                env("BENCH_ORCHESTRATOR_HOST", "127.0.0.1"),
                Integer.parseInt(env("BENCH_ORCHESTRATOR_PORT", "9000")))
            .usePlaintext()
            .maxInboundMessageSize(64 * 1024 * 1024)
            .build();
    try {
      register(channel);
      String function = readyFunction(channel);
      String plan = registerTasks(channel, function, tasks, batch, true);
      long total = tasks;
      while (total < background) {
        registerTasks(channel, function, tasks, batch, false);
        total += tasks;
      }
      System.out.printf("(%d tasks of this run in the database)%n", total);
      queryTasks(channel, plan, queries);
      publicationLag(channel, rate, seconds, 1);
      if (perTransaction > 1) {
        publicationLag(channel, rate, seconds, perTransaction);
      }
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private static void register(ManagedChannel channel) {
    try {
      as(OrganizationServiceGrpc.newBlockingStub(channel))
          .registerOrganization(
              RegisterOrganizationParam.newBuilder().setAddress("http://127.0.0.1:8000").build());
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() != Status.Code.ALREADY_EXISTS) {
        throw e;
      }
    }
  }

  /**
   * A plan of {@code count} tasks in 100 parallel chains, each task fed by its predecessor,
   * registered in batches of {@code batchSize} the way the SDK sends them (parents first).
   */
  private static String registerTasks(
      ManagedChannel channel, String function, int count, int batchSize, boolean report) {
    String plan = UUID.randomUUID().toString();
    as(ComputePlanServiceGrpc.newBlockingStub(channel))
        .registerPlan(NewComputePlan.newBuilder().setKey(plan).setName("bench").build());
    int width = Math.min(100, count);
    String[] previous = new String[width];
    List<RegisterTasksParam> batches = new ArrayList<>();
    RegisterTasksParam.Builder batch = RegisterTasksParam.newBuilder();
    for (int i = 0; i < count; i++) {
      String key = UUID.randomUUID().toString();
      NewComputeTask.Builder task =
          NewComputeTask.newBuilder()
              .setKey(key)
              .setFunctionKey(function)
              .setComputePlanKey(plan)
              .setWorker(MSPID)
              .putMetadata("__tag__", "bench")
              .putOutputs(
                  "shared",
                  NewComputeTaskOutput.newBuilder()
                      .setPermissions(NewPermissions.newBuilder().setPublic(true))
                      .build());
      String parent = previous[i % width];
      if (parent != null) {
        task.addInputs(
            ComputeTaskInput.newBuilder()
                .setIdentifier("shared")
                .setParentTaskOutput(
                    ParentTaskOutputRef.newBuilder()
                        .setParentTaskKey(parent)
                        .setOutputIdentifier("shared")));
      }
      previous[i % width] = key;
      batch.addTasks(task);
      if (batch.getTasksCount() == batchSize || i == count - 1) {
        batches.add(batch.build());
        batch = RegisterTasksParam.newBuilder();
      }
    }
    var tasks = as(ComputeTaskServiceGrpc.newBlockingStub(channel));
    long start = System.nanoTime();
    int registered = 0;
    for (RegisterTasksParam request : batches) {
      registered +=
          tasks.withDeadlineAfter(120, TimeUnit.SECONDS).registerTasks(request).getTasksCount();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    if (report) {
      System.out.printf(
          "RegisterTasks: %d tasks (%d chains) in %d batches of %d in %.2f s (%.0f tasks/s;"
              + " target < 10 s)%n",
          registered, width, batches.size(), batchSize, seconds, registered / seconds);
    }
    return plan;
  }

  private static String readyFunction(ManagedChannel channel) {
    String key = UUID.randomUUID().toString();
    var functions = as(FunctionServiceGrpc.newBlockingStub(channel));
    functions.registerFunction(
        NewFunction.newBuilder()
            .setKey(key)
            .setName("bench function")
            .setDescription(address("description", key))
            .setArchive(address("archive", key))
            .setNewPermissions(NewPermissions.newBuilder().setPublic(true))
            .putInputs(
                "shared",
                FunctionInput.newBuilder()
                    .setKind(AssetKind.ASSET_MODEL)
                    .setMultiple(true)
                    .setOptional(true)
                    .build())
            .putOutputs(
                "shared", FunctionOutput.newBuilder().setKind(AssetKind.ASSET_MODEL).build())
            .build());
    functions.applyFunctionAction(
        ApplyFunctionActionParam.newBuilder()
            .setFunctionKey(key)
            .setAction(FunctionAction.FUNCTION_ACTION_BUILDING)
            .build());
    functions.updateFunction(
        UpdateFunctionParam.newBuilder()
            .setKey(key)
            .setName("bench function")
            .setImage(address("image", key))
            .build());
    functions.applyFunctionAction(
        ApplyFunctionActionParam.newBuilder()
            .setFunctionKey(key)
            .setAction(FunctionAction.FUNCTION_ACTION_READY)
            .build());
    return key;
  }

  /** Pages of 100 tasks of one plan, all or by status, over the whole plan. */
  private static void queryTasks(ManagedChannel channel, String plan, int count) {
    var tasks = as(ComputeTaskServiceGrpc.newBlockingStub(channel));
    ComputeTaskStatus[] statuses = {
      ComputeTaskStatus.STATUS_UNKNOWN,
      ComputeTaskStatus.STATUS_WAITING_FOR_EXECUTOR_SLOT,
      ComputeTaskStatus.STATUS_WAITING_FOR_PARENT_TASKS
    };
    long[] micros = new long[count];
    for (int i = -200; i < count; i++) {
      QueryTasksParam query =
          QueryTasksParam.newBuilder()
              .setPageSize(100)
              .setPageToken(String.valueOf(Math.floorMod(i, 50) * 100))
              .setFilter(
                  TaskQueryFilter.newBuilder()
                      .setComputePlanKey(plan)
                      .setStatus(statuses[Math.floorMod(i, statuses.length)]))
              .build();
      long start = System.nanoTime();
      tasks.queryTasks(query);
      if (i >= 0) {
        micros[i] = (System.nanoTime() - start) / 1000;
      }
    }
    System.out.println(
        "QueryTasks (one plan, pages of 100, 200 warm-up calls): "
            + percentiles(micros)
            + " (target p95 < 10 ms)");
  }

  /**
   * Writes at {@code rate} per second for {@code seconds} (RegisterProfilingStep, one event each,
   * several in flight): the lag is from each rpc's answer (its commit) to the event's delivery from
   * RabbitMQ.
   */
  private static void publicationLag(ManagedChannel channel, int rate, int seconds, int perWrite)
      throws Exception {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost(env("BENCH_RABBITMQ_HOST", "127.0.0.1"));
    factory.setUsername(env("BENCH_RABBITMQ_USERNAME", "substra"));
    factory.setPassword(env("BENCH_RABBITMQ_PASSWORD", "substra"));
    factory.setVirtualHost(env("BENCH_RABBITMQ_VHOST", "substra"));
    Map<String, Long> received = new ConcurrentHashMap<>();
    Map<String, Long> committed = new ConcurrentHashMap<>();
    int count = rate * seconds;
    try (Connection connection = factory.newConnection();
        Channel rabbit = connection.createChannel()) {
      String queue = rabbit.queueDeclare("", false, true, true, null).getQueue();
      rabbit.queueBind(queue, env("BENCH_EXCHANGE", "orchestrator"), CHANNEL);
      DeliverCallback deliver =
          (tag, message) -> {
            long now = System.nanoTime();
            received.put(Event.parseFrom(message.getBody()).getAssetKey(), now);
          };
      rabbit.basicConsume(queue, true, deliver, tag -> {});
      var profiling = as(ProfilingServiceGrpc.newFutureStub(channel));
      var samples = as(DataSampleServiceGrpc.newFutureStub(channel));
      String dataManager = perWrite > 1 ? dataManager(channel) : null;
      List<String> keys = new ArrayList<>();
      int writes = count / perWrite;
      long period = TimeUnit.SECONDS.toNanos(1) * perWrite / rate;
      long start = System.nanoTime();
      CountDownLatch answered = new CountDownLatch(writes);
      AtomicInteger failed = new AtomicInteger();
      for (int i = 0; i < writes; i++) {
        long due = start + i * period;
        long wait = due - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
        List<String> written = new ArrayList<>();
        for (int j = 0; j < perWrite; j++) {
          written.add(UUID.randomUUID().toString());
        }
        keys.addAll(written);
        FutureCallback<Object> done =
            new FutureCallback<>() {
              @Override
              public void onSuccess(Object answer) {
                long now = System.nanoTime();
                written.forEach(key -> committed.put(key, now));
                answered.countDown();
              }

              @Override
              public void onFailure(Throwable failure) {
                failed.incrementAndGet();
                answered.countDown();
              }
            };
        if (perWrite == 1) {
          Futures.addCallback(
              profiling.registerProfilingStep(
                  ProfilingStep.newBuilder()
                      .setAssetKey(written.get(0))
                      .setStep("bench")
                      .setDuration(1)
                      .build()),
              done,
              Runnable::run);
        } else {
          RegisterDataSamplesParam.Builder batch = RegisterDataSamplesParam.newBuilder();
          written.forEach(
              key ->
                  batch.addSamples(
                      NewDataSample.newBuilder()
                          .setKey(key)
                          .addDataManagerKeys(dataManager)
                          .setChecksum("0".repeat(64))));
          Futures.addCallback(samples.registerDataSamples(batch.build()), done, Runnable::run);
        }
      }
      count = keys.size();
      answered.await(60, TimeUnit.SECONDS);
      double achieved = committed.size() / ((System.nanoTime() - start) / 1e9);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (received.size() < count && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      long[] micros = new long[count];
      int missing = 0;
      for (int i = 0; i < count; i++) {
        Long at = received.get(keys.get(i));
        Long done = committed.get(keys.get(i));
        if (done == null) {
          micros[i] = -1;
        } else if (at == null) {
          missing++;
          micros[i] = Long.MAX_VALUE / 2;
        } else {
          micros[i] = Math.max(0, (at - done) / 1000);
        }
      }
      System.out.printf(
          "Publication lag (commit → RabbitMQ delivery, %d events sent at %d/s in writes of %d,"
              + " committed at %.0f/s, %d writes failed, %d events not delivered): %s"
              + " (target p99 < 20 ms)%n",
          count, rate, perWrite, achieved, failed.get(), missing, percentiles(micros));
    }
  }

  private static String dataManager(ManagedChannel channel) {
    String key = UUID.randomUUID().toString();
    as(DataManagerServiceGrpc.newBlockingStub(channel))
        .registerDataManager(
            NewDataManager.newBuilder()
                .setKey(key)
                .setName("bench")
                .setNewPermissions(NewPermissions.newBuilder().setPublic(true))
                .setLogsPermission(NewPermissions.newBuilder().setPublic(true))
                .setDescription(address("description", key))
                .setOpener(address("opener", key))
                .build());
    return key;
  }

  private static String percentiles(long[] measured) {
    long[] sorted = Arrays.stream(measured).filter(value -> value >= 0).toArray();
    Arrays.sort(sorted);
    return String.format(
        "p50 %.2f ms, p95 %.2f ms, p99 %.2f ms, max %.2f ms",
        at(sorted, 0.50), at(sorted, 0.95), at(sorted, 0.99), sorted[sorted.length - 1] / 1000.0);
  }

  private static double at(long[] sorted, double quantile) {
    int index = (int) Math.ceil(quantile * sorted.length) - 1;
    return sorted[Math.max(0, index)] / 1000.0;
  }

  private static Addressable address(String kind, String key) {
    return Addressable.newBuilder()
        .setChecksum("0".repeat(64))
        .setStorageAddress("http://127.0.0.1:8000/bench/" + kind + "/" + key + "/")
        .build();
  }

  private static <S extends AbstractStub<S>> S as(S stub) {
    return CallerIdentity.as(stub, MSPID, CHANNEL);
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isEmpty() ? fallback : value;
  }
}
