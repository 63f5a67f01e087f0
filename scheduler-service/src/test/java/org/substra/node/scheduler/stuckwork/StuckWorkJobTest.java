package org.substra.node.scheduler.stuckwork;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.quartz.Scheduler;
import org.substra.node.orchestrator.protocol.ComputeTaskStatus;
import org.substra.node.orchestrator.protocol.ErrorType;
import org.substra.node.scheduler.testing.JobRuns;
import org.substra.node.scheduler.testing.OrchestratorClient;
import org.substra.node.scheduler.testing.OwnerSchemas;
import org.substra.node.scheduler.testing.ReadModelRows;
import org.substra.node.scheduler.testing.RealOrchestrator;
import org.substra.node.testing.Dependency;
import org.substra.node.testing.TestBroker;
import org.substra.node.testing.WithLocalDependencies;

@QuarkusTest
@TestProfile(StuckWorkJobTest.ShortTimeouts.class)
@WithLocalDependencies({Dependency.POSTGRESQL, Dependency.RABBITMQ})
@WithTestResource(RealOrchestrator.class)
class StuckWorkJobTest {

  static final String EXCHANGE = "sched-test.compute";

  /** Timeouts a test can wait for, and a work exchange of its own. */
  public static class ShortTimeouts implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "scheduler.stuck-work.executing-timeout", "1h",
          "scheduler.stuck-work.dispatch-timeout", "3s",
          "scheduler.stuck-work.max-redispatches", "1",
          "scheduler.stuck-work.work-exchange", EXCHANGE);
    }
  }

  @Inject AgroalDataSource dataSource;
  @Inject Scheduler quartz;

  @Test
  void failsLongExecutingTasksRedispatchesThenFailsWaitingOnesAndIsIdempotent() throws Exception {
    OwnerSchemas.migrate(dataSource);
    ReadModelRows readModel = new ReadModelRows(dataSource);
    JobRuns runs = new JobRuns(dataSource, quartz);
    try (OrchestratorClient orchestrator = new OrchestratorClient(RealOrchestrator.grpcPort());
        Connection broker = TestBroker.connectionFactory().newConnection();
        Channel rabbit = broker.createChannel()) {
      rabbit.exchangeDeclare(EXCHANGE, "direct", true);
      String queue = rabbit.queueDeclare("", false, true, true, null).getQueue();
      String routingKey = "task." + UUID.randomUUID();
      rabbit.queueBind(queue, EXCHANGE, routingKey);

      List<String> keys = orchestrator.waitingTasks(4);
      UUID plan = UUID.fromString(keys.get(0));
      String executingLong = keys.get(1);
      String executingRecently = keys.get(2);
      String waiting = keys.get(3);
      String staleRow = keys.get(4);
      orchestrator.startExecuting(executingLong);
      orchestrator.startExecuting(executingRecently);
      UUID function = UUID.randomUUID();
      Instant twoHoursAgo = Instant.now().minus(Duration.ofHours(2));
      readModel.computeTask(
          UUID.fromString(executingLong),
          plan,
          function,
          "MyOrg1MSP",
          "STATUS_EXECUTING",
          twoHoursAgo);
      readModel.computeTask(
          UUID.fromString(executingRecently),
          plan,
          function,
          "MyOrg1MSP",
          "STATUS_EXECUTING",
          Instant.now().minusSeconds(60));
      readModel.computeTask(
          UUID.fromString(waiting),
          plan,
          function,
          "MyOrg1MSP",
          "STATUS_WAITING_FOR_EXECUTOR_SLOT",
          null);
      String body = "{\"kind\":\"task\",\"task_key\":\"" + waiting + "\"}";
      readModel.publishedTaskMessage(
          UUID.fromString(waiting), routingKey, body, Duration.ofHours(1));
      // The read model lags: it still shows EXECUTING a task the orchestrator has waiting.
      readModel.computeTask(
          UUID.fromString(staleRow), plan, function, "MyOrg1MSP", "STATUS_EXECUTING", twoHoursAgo);

      assertThat(runs.runNow(StuckWorkJob.ID).outcome()).isEqualTo("SUCCESS");

      assertThat(orchestrator.status(executingLong)).isEqualTo(ComputeTaskStatus.STATUS_FAILED);
      assertThat(orchestrator.failureType(executingLong)).isEqualTo(ErrorType.ERROR_TYPE_INTERNAL);
      assertThat(orchestrator.status(executingRecently))
          .isEqualTo(ComputeTaskStatus.STATUS_EXECUTING);
      assertThat(orchestrator.status(staleRow))
          .isEqualTo(ComputeTaskStatus.STATUS_WAITING_FOR_EXECUTOR_SLOT);
      assertThat(orchestrator.status(waiting))
          .isEqualTo(ComputeTaskStatus.STATUS_WAITING_FOR_EXECUTOR_SLOT);
      GetResponse redispatched = rabbit.basicGet(queue, true);
      assertThat(redispatched).isNotNull();
      assertThat(redispatched.getProps().getMessageId())
          .isEqualTo("task:" + waiting + ":redispatch-1");
      assertThat(new String(redispatched.getBody(), StandardCharsets.UTF_8)).isEqualTo(body);

      // Within the dispatch timeout of the re-dispatch: nothing more happens.
      assertThat(runs.runNow(StuckWorkJob.ID).outcome()).isEqualTo("SUCCESS");
      assertThat(rabbit.basicGet(queue, true)).isNull();
      assertThat(orchestrator.status(waiting))
          .isEqualTo(ComputeTaskStatus.STATUS_WAITING_FOR_EXECUTOR_SLOT);

      // The re-dispatch did not help either: the task is failed, not dispatched forever.
      Thread.sleep(3_500);
      assertThat(runs.runNow(StuckWorkJob.ID).outcome()).isEqualTo("SUCCESS");
      assertThat(orchestrator.status(waiting)).isEqualTo(ComputeTaskStatus.STATUS_FAILED);
      assertThat(orchestrator.failureType(waiting)).isEqualTo(ErrorType.ERROR_TYPE_INTERNAL);
      assertThat(rabbit.basicGet(queue, true)).isNull();

      // The read model still shows them stuck (event-service is not running): the orchestrator's
      // answer keeps a later run from touching them again.
      JobRuns.Run again = runs.runNow(StuckWorkJob.ID);
      assertThat(again.outcome()).isEqualTo("SUCCESS");
      assertThat(again.summary()).startsWith("failed 0 tasks, re-dispatched 0");
      assertThat(orchestrator.status(staleRow))
          .isEqualTo(ComputeTaskStatus.STATUS_WAITING_FOR_EXECUTOR_SLOT);
    }
  }
}
