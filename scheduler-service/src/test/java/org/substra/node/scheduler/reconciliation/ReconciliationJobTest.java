package org.substra.node.scheduler.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.quartz.Scheduler;
import org.substra.node.scheduler.testing.JobRuns;
import org.substra.node.scheduler.testing.OrchestratorClient;
import org.substra.node.scheduler.testing.OwnerSchemas;
import org.substra.node.scheduler.testing.ReadModelRows;
import org.substra.node.scheduler.testing.RealEventService;
import org.substra.node.scheduler.testing.RealOrchestrator;
import org.substra.node.testing.Dependency;
import org.substra.node.testing.PackagedService;
import org.substra.node.testing.WithLocalDependencies;

@QuarkusTest
@WithLocalDependencies({Dependency.POSTGRESQL})
@WithTestResource(RealOrchestrator.class)
@WithTestResource(RealEventService.class)
class ReconciliationJobTest {

  @Inject AgroalDataSource dataSource;
  @Inject Scheduler quartz;

  @Test
  void repairsTasksWhoseStatusDiffersAndReportsThoseTheOrchestratorDoesNotKnow() throws Exception {
    OwnerSchemas.migrate(dataSource);
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement()) {
      // Other test classes leave unfinished tasks of an orchestrator that is gone.
      statement.execute(
          "DELETE FROM read_model.compute_tasks"
              + " WHERE status NOT IN ('STATUS_DONE', 'STATUS_CANCELED', 'STATUS_FAILED')");
    }
    ReadModelRows readModel = new ReadModelRows(dataSource);
    try (OrchestratorClient orchestrator = new OrchestratorClient(RealOrchestrator.grpcPort());
        PackagedService eventService = RealEventService.startService()) {
      List<String> keys = orchestrator.waitingTasks(2);
      UUID plan = UUID.fromString(keys.get(0));
      String same = keys.get(1);
      String moved = keys.get(2);
      orchestrator.startExecuting(moved);
      UUID function = UUID.randomUUID();
      for (String task : List.of(same, moved)) {
        readModel.computeTask(
            UUID.fromString(task),
            plan,
            function,
            "MyOrg1MSP",
            "STATUS_WAITING_FOR_EXECUTOR_SLOT",
            null);
      }
      UUID unknown = UUID.randomUUID();
      readModel.computeTask(unknown, plan, function, "MyOrg1MSP", "STATUS_EXECUTING", null);

      JobRuns runs = new JobRuns(dataSource, quartz);
      JobRuns.Run first = runs.runNow(ReconciliationJob.ID);
      assertThat(first.outcome()).isEqualTo("SUCCESS");
      assertThat(first.summary())
          .isEqualTo(
              "compared 3 tasks: 1 with another status in the orchestrator, 1 unknown to it;"
                  + " 1 repaired");
      // event-service re-projected the task from the orchestrator; the unknown one is left.
      assertThat(status(moved)).isEqualTo("STATUS_EXECUTING");
      assertThat(status(same)).isEqualTo("STATUS_WAITING_FOR_EXECUTOR_SLOT");
      assertThat(status(unknown.toString())).isEqualTo("STATUS_EXECUTING");
      assertThat(metrics())
          .contains("scheduler_reconciliation_differences{kind=\"task_status\"} 1.0")
          .contains("scheduler_reconciliation_repairs_total 1.0");

      JobRuns.Run second = runs.runNow(ReconciliationJob.ID);
      assertThat(second.outcome()).isEqualTo("SUCCESS");
      assertThat(second.summary())
          .isEqualTo(
              "compared 3 tasks: 0 with another status in the orchestrator, 1 unknown to it;"
                  + " 0 repaired");
      assertThat(metrics())
          .contains("scheduler_reconciliation_differences{kind=\"task_status\"} 0.0")
          .contains("scheduler_reconciliation_differences{kind=\"task_unknown\"} 1.0")
          .contains("scheduler_reconciliation_repairs_total 1.0");
    }
  }

  private static String metrics() {
    return RestAssured.get("/q/metrics").then().statusCode(200).extract().asString();
  }

  private String status(String task) throws Exception {
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement();
        java.sql.ResultSet row =
            statement.executeQuery(
                "SELECT status FROM read_model.compute_tasks WHERE key = '" + task + "'")) {
      assertThat(row.next()).as(task).isTrue();
      return row.getString(1);
    }
  }
}
