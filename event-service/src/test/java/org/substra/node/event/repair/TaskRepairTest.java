package org.substra.node.event.repair;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.substra.node.event.testing.Orchestrator.ORG1;
import static org.substra.node.event.testing.Orchestrator.ORG2;
import static org.substra.node.event.testing.Orchestrator.trainTask;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.substra.node.event.testing.Orchestrator;
import org.substra.node.event.testing.ReadModel;
import org.substra.node.event.testing.RealOrchestrator;
import org.substra.node.orchestrator.protocol.ComputeTaskAction;
import org.substra.node.testing.Dependency;
import org.substra.node.testing.WithLocalDependencies;

/**
 * A read-model row that went wrong (as if an event had been projected wrongly or skipped) is put
 * back from the real orchestrator's state by {@code POST /internal/repairs/tasks}, plan included.
 */
@QuarkusTest
@WithLocalDependencies({Dependency.POSTGRESQL, Dependency.RABBITMQ})
@WithTestResource(RealOrchestrator.class)
class TaskRepairTest {

  private static final Duration PATIENCE = Duration.ofSeconds(30);

  @Inject DataSource dataSource;

  private static Orchestrator orchestrator;

  @BeforeAll
  static void connect() {
    orchestrator = Orchestrator.connect();
    orchestrator.join(ORG1, ORG2);
  }

  @AfterAll
  static void disconnect() throws InterruptedException {
    orchestrator.close();
  }

  @Test
  void aTamperedTaskIsRepairedFromTheOrchestratorWithItsPlan() throws Exception {
    ReadModel readModel = new ReadModel(dataSource);
    String train = orchestrator.trainFunction(ORG1);
    String manager = orchestrator.dataManager(ORG1);
    List<String> samples = orchestrator.dataSamples(ORG1, manager, 1);
    String plan = orchestrator.plan(ORG1, "repair");
    String task =
        orchestrator.register(ORG1, trainTask(plan, train, manager, samples)).get(0).getKey();
    orchestrator.build(ORG1, train, "train");
    orchestrator.taskAction(ORG1, task, ComputeTaskAction.TASK_ACTION_EXECUTING);
    orchestrator.executionFailure(ORG1, task);
    Awaitility.await()
        .atMost(PATIENCE)
        .until(
            () ->
                "PLAN_STATUS_FAILED"
                        .equals(
                            readModel.value(
                                "SELECT status FROM compute_plans WHERE key = ?::uuid", plan))
                    && "EXECUTION_ERROR"
                        .equals(
                            readModel.value(
                                "SELECT error_type FROM compute_tasks WHERE key = ?::uuid", task)));
    Map<String, Object> progress = readModel.row("SELECT * FROM channel_progress");

    // The failure as if it had never been projected: the task still executing, its plan running.
    try (Connection db = dataSource.getConnection();
        Statement sql = db.createStatement()) {
      sql.execute(
          "UPDATE compute_tasks SET status = 'STATUS_EXECUTING', end_date = NULL,"
              + " error_type = NULL, failure_logs_address = NULL WHERE key = '"
              + task
              + "'");
      sql.execute(
          "UPDATE compute_plans SET status = 'PLAN_STATUS_DOING', failed_count = 0,"
              + " executing_count = 1, end_date = NULL, last_task_end_date = NULL,"
              + " failed_task_key = NULL WHERE key = '"
              + plan
              + "'");
    }

    String unknown = UUID.randomUUID().toString();
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("keys", List.of(task, unknown)))
        .post("/internal/repairs/tasks")
        .then()
        .statusCode(200)
        .body("repaired", org.hamcrest.Matchers.contains(task))
        .body("unchanged", org.hamcrest.Matchers.empty())
        .body("unknown", org.hamcrest.Matchers.contains(unknown));

    Map<String, Object> repairedTask =
        readModel.row("SELECT * FROM compute_tasks WHERE key = ?::uuid", task);
    assertThat(repairedTask)
        .containsEntry("status", "STATUS_FAILED")
        .containsEntry("error_type", "EXECUTION_ERROR");
    assertThat(repairedTask.get("end_date")).isNotNull();
    assertThat(repairedTask.get("failure_logs_address")).isNotNull();
    Map<String, Object> repairedPlan =
        readModel.row("SELECT * FROM compute_plans WHERE key = ?::uuid", plan);
    assertThat(repairedPlan)
        .containsEntry("status", "PLAN_STATUS_FAILED")
        .containsEntry("task_count", 1)
        .containsEntry("executing_count", 0)
        .containsEntry("failed_count", 1)
        .containsEntry("failed_task_key", UUID.fromString(task))
        .containsEntry("end_date", repairedTask.get("end_date"));
    // Not an event of the channel's sequence: the consumption progress did not move.
    assertThat(readModel.row("SELECT * FROM channel_progress")).isEqualTo(progress);

    // Nothing left to repair.
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("keys", List.of(task)))
        .post("/internal/repairs/tasks")
        .then()
        .statusCode(200)
        .body("repaired", org.hamcrest.Matchers.empty())
        .body("unchanged", org.hamcrest.Matchers.contains(task));
    assertThat(readModel.row("SELECT * FROM compute_plans WHERE key = ?::uuid", plan))
        .isEqualTo(repairedPlan);
  }

  @Test
  void keysThatAreNotTaskKeysAreRefused() {
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("keys", List.of("not-a-key")))
        .post("/internal/repairs/tasks")
        .then()
        .statusCode(400);
  }
}
