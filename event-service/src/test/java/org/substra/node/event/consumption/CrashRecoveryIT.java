package org.substra.node.event.consumption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.substra.node.event.testing.Orchestrator.ORG1;
import static org.substra.node.event.testing.Orchestrator.ORG2;
import static org.substra.node.event.testing.Orchestrator.trainTask;

import com.rabbitmq.client.GetResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.substra.node.event.testing.Broker;
import org.substra.node.event.testing.EventServiceProcess;
import org.substra.node.event.testing.Orchestrator;
import org.substra.node.event.testing.OrchestratorProcess;
import org.substra.node.event.testing.ReadModel;
import org.substra.node.orchestrator.protocol.ComputeTask;

/**
 * The packaged service is killed (SIGKILL) while plans run, then started again: the read model ends
 * equal to the orchestrator's state, every position applied once, every task dispatched.
 */
class CrashRecoveryIT {

  private static final String QUEUE = "events-test.crash.MyOrg1MSP";
  private static final String WORK_EXCHANGE = "events-test.crash.compute";
  private static final String BUILDS = "events-test.crash.compute.builds";
  private static final String TASKS = "events-test.crash.compute.tasks";
  private static final int PLANS = 8;
  private static final int TASKS_PER_PLAN = 5;

  @Test
  void killedMidStreamItLosesNothingAndAppliesNothingTwice() throws Exception {
    try (Broker broker = new Broker()) {
      broker.deleteQueues(QUEUE, QUEUE + ".dlq", BUILDS, TASKS + ".0");
    }
    OrchestratorProcess orchestratorProcess = OrchestratorProcess.get();
    Map<String, String> settings = new HashMap<>();
    settings.put("quarkus.datasource.reactive.url", "postgresql://127.0.0.1:5432/substra_test");
    settings.put("quarkus.datasource.jdbc.url", "jdbc:postgresql://127.0.0.1:5432/substra_test");
    settings.put("node.rabbitmq.virtual-host", "substra_test");
    settings.put(
        "quarkus.grpc.clients.orchestrator.port", String.valueOf(orchestratorProcess.grpcPort()));
    settings.put("events.consumption.exchange", OrchestratorProcess.EXCHANGE);
    settings.put("events.consumption.queue", QUEUE);
    // Small transactions: the kill lands between many commits.
    settings.put("events.consumption.batch-size", "5");
    settings.put("events.dispatch.exchange", WORK_EXCHANGE);
    settings.put("events.dispatch.build-queue", BUILDS);
    settings.put("events.dispatch.task-queue-prefix", TASKS);
    Map<String, String> firstStart = new HashMap<>(settings);
    firstStart.put("quarkus.flyway.clean-disabled", "false");
    firstStart.put("quarkus.flyway.clean-at-start", "true");
    Path log = Path.of("target", "crash-recovery-event-service.log");

    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    dataSource.setUrl("jdbc:postgresql://127.0.0.1:5432/substra_test?currentSchema=read_model");
    dataSource.setUser("substra");
    dataSource.setPassword("substra");
    ReadModel readModel = new ReadModel(dataSource);

    List<String> taskKeys = new ArrayList<>();
    List<String> planKeys = new ArrayList<>();
    EventServiceProcess service = EventServiceProcess.start(firstStart, log);
    try (Orchestrator orchestrator = Orchestrator.connect()) {
      orchestrator.join(ORG1, ORG2);
      String train = orchestrator.trainFunction(ORG1);
      orchestrator.build(ORG1, train, "train");
      String manager = orchestrator.dataManager(ORG1);
      List<String> samples = orchestrator.dataSamples(ORG1, manager, 1);

      CompletableFuture<Void> plans =
          CompletableFuture.runAsync(
              () -> {
                for (int p = 0; p < PLANS; p++) {
                  String plan = orchestrator.plan(ORG1, "crash-" + p);
                  planKeys.add(plan);
                  String parent = null;
                  List<String> chain = new ArrayList<>();
                  for (int t = 0; t < TASKS_PER_PLAN; t++) {
                    ComputeTask task =
                        orchestrator
                            .register(
                                ORG1,
                                parent == null
                                    ? trainTask(plan, train, manager, samples)
                                    : trainTask(plan, train, manager, samples, parent))
                            .get(0);
                    parent = task.getKey();
                    chain.add(parent);
                  }
                  chain.forEach(task -> orchestrator.runTrain(ORG1, task));
                  synchronized (taskKeys) {
                    taskKeys.addAll(chain);
                  }
                }
              });

      // Kill while events flow: some applied, many to come.
      Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> progress(readModel) > 40);
      service.kill();
      long atKill = progress(readModel);
      Thread.sleep(1000);
      service = EventServiceProcess.start(settings, log);
      plans.get();
      assertThat(atKill).isLessThan(OrchestratorProcess.lastEvent(Orchestrator.CHANNEL).getKey());

      long last = OrchestratorProcess.lastEvent(Orchestrator.CHANNEL).getKey();
      Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> progress(readModel) == last);
    } finally {
      service.close();
    }

    for (String plan : planKeys) {
      assertThat(readModel.row("SELECT * FROM compute_plans WHERE key = ?::uuid", plan))
          .containsEntry("status", "PLAN_STATUS_DONE")
          .containsEntry("task_count", TASKS_PER_PLAN)
          .containsEntry("done_count", TASKS_PER_PLAN)
          .containsEntry("executing_count", 0)
          .containsEntry("waiting_executor_slot_count", 0)
          .containsEntry("waiting_parent_tasks_count", 0);
    }
    assertThat(
            readModel.value(
                "SELECT count(*) FROM compute_tasks WHERE status = 'STATUS_DONE'"
                    + " AND start_date IS NOT NULL AND end_date IS NOT NULL"))
        .isEqualTo((long) PLANS * TASKS_PER_PLAN);
    // One model per task and one output asset per model: nothing missing, nothing doubled.
    assertThat(readModel.value("SELECT count(*) FROM models")).isEqualTo((long) taskKeys.size());
    assertThat(readModel.value("SELECT count(*) FROM compute_task_output_assets"))
        .isEqualTo((long) taskKeys.size());
    assertThat(readModel.value("SELECT count(*) FROM skipped_events")).isEqualTo(0L);

    // Every task was recorded for dispatch once and reached its queue (a crash between the
    // broker's confirmation and the outbox mark may deliver one twice, with the same id).
    assertThat(readModel.value("SELECT count(*) FROM work_outbox WHERE kind = 'task'"))
        .isEqualTo((long) taskKeys.size());
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                readModel
                    .value("SELECT count(*) FROM work_outbox WHERE published_at IS NULL")
                    .equals(0L));
    Set<String> delivered = new HashSet<>();
    try (Broker broker = new Broker()) {
      for (GetResponse message : broker.drain(TASKS + ".0")) {
        delivered.add(message.getProps().getMessageId());
      }
    }
    assertThat(delivered).containsAll(taskKeys.stream().map(task -> "task:" + task).toList());
  }

  private static long progress(ReadModel readModel) {
    try {
      Object position =
          readModel.value("SELECT position FROM channel_progress WHERE channel = 'mychannel'");
      return position == null ? 0 : (Long) position;
    } catch (IllegalStateException tableNotYetThere) {
      return 0;
    }
  }
}
