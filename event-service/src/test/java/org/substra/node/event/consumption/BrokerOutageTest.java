package org.substra.node.event.consumption;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.substra.node.event.testing.Orchestrator.ORG1;
import static org.substra.node.event.testing.Orchestrator.ORG2;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import javax.sql.DataSource;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.substra.node.event.testing.Orchestrator;
import org.substra.node.event.testing.OrchestratorProcess;
import org.substra.node.event.testing.ReadModel;
import org.substra.node.event.testing.RealOrchestrator;
import org.substra.node.testing.Dependency;
import org.substra.node.testing.LocalDependencies;
import org.substra.node.testing.TcpProxy;
import org.substra.node.testing.WithLocalDependencies;

/** The service's connection to RabbitMQ breaks in the middle of a plan, then comes back. */
@QuarkusTest
@WithLocalDependencies({Dependency.POSTGRESQL, Dependency.RABBITMQ})
@WithTestResource(RealOrchestrator.class)
class BrokerOutageTest {

  private static final Duration PATIENCE = Duration.ofSeconds(60);

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
  void theConsumerReconnectsByItselfAndCatchesUp() throws Exception {
    ReadModel readModel = new ReadModel(dataSource);
    Orchestrator.TrainPlan arranged = orchestrator.trainPlan(ORG1, "outage", 1);
    String plan = arranged.plan();
    String first = orchestrator.registerTrainTask(arranged);
    String second = orchestrator.registerTrainTask(arranged, first);
    Awaitility.await()
        .atMost(PATIENCE)
        .until(
            () ->
                Integer.valueOf(2)
                    .equals(
                        readModel.value(
                            "SELECT task_count FROM compute_plans WHERE key = ?::uuid", plan)));

    TcpProxy broker = LocalDependencies.proxy(Dependency.RABBITMQ);
    broker.cut();
    try {
      // The orchestrator goes on publishing to the broker; the service cannot read it.
      orchestrator.runTrain(ORG1, first);
      orchestrator.runTrain(ORG1, second);
      Awaitility.await()
          .atMost(PATIENCE)
          .pollInterval(Duration.ofMillis(250))
          .untilAsserted(() -> given().get("/q/health/ready").then().statusCode(503));
      assertThat(readModel.value("SELECT status FROM compute_plans WHERE key = ?::uuid", plan))
          .isEqualTo("PLAN_STATUS_DOING");
    } finally {
      broker.restore();
    }

    Awaitility.await()
        .atMost(PATIENCE)
        .pollInterval(Duration.ofMillis(250))
        .until(
            () ->
                "PLAN_STATUS_DONE"
                    .equals(
                        readModel.value(
                            "SELECT status FROM compute_plans WHERE key = ?::uuid", plan)));
    Map<String, Object> done =
        readModel.row("SELECT * FROM compute_plans WHERE key = ?::uuid", plan);
    assertThat(done).containsEntry("task_count", 2).containsEntry("done_count", 2);
    Awaitility.await()
        .atMost(PATIENCE)
        .pollInterval(Duration.ofMillis(250))
        .untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
    assertThat(readModel.value("SELECT position FROM channel_progress WHERE channel = 'mychannel'"))
        .isEqualTo(OrchestratorProcess.lastEvent(Orchestrator.CHANNEL).getKey());
  }
}
