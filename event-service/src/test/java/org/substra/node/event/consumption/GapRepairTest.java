package org.substra.node.event.consumption;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.substra.node.event.testing.Orchestrator.ORG1;
import static org.substra.node.event.testing.Orchestrator.ORG2;

import com.rabbitmq.client.AMQP;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import javax.sql.DataSource;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.substra.node.event.testing.Broker;
import org.substra.node.event.testing.Orchestrator;
import org.substra.node.event.testing.OrchestratorProcess;
import org.substra.node.event.testing.ReadModel;
import org.substra.node.event.testing.RealOrchestrator;
import org.substra.node.testing.Dependency;
import org.substra.node.testing.WithLocalDependencies;

/** Messages that never arrive, and messages that are not events. */
@QuarkusTest
@WithLocalDependencies({Dependency.POSTGRESQL, Dependency.RABBITMQ})
@WithTestResource(RealOrchestrator.class)
class GapRepairTest {

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

  private Object function(ReadModel readModel, String key) {
    return readModel.value("SELECT name FROM functions WHERE key = ?::uuid", key);
  }

  /** Readiness is UP again (it may lag the read model by one probe of a slow dependency). */
  private static void awaitReady() {
    Awaitility.await()
        .atMost(PATIENCE)
        .pollInterval(Duration.ofMillis(250))
        .untilAsserted(
            () -> given().get("/q/health/ready").then().log().ifValidationFails().statusCode(200));
  }

  @Test
  void droppedMessagesAreReplayedFromTheOrchestratorBeforeGoingOn() throws Exception {
    ReadModel readModel = new ReadModel(dataSource);
    String before = orchestrator.trainFunction(ORG2);
    Awaitility.await().atMost(PATIENCE).until(() -> function(readModel, before) != null);

    String dropped;
    String dataManager;
    try (Broker broker = new Broker()) {
      // Unbound, the queue misses what the orchestrator publishes meanwhile: a real loss.
      broker
          .channel()
          .queueUnbind(RealOrchestrator.QUEUE, OrchestratorProcess.EXCHANGE, Orchestrator.CHANNEL);
      try {
        dropped = orchestrator.trainFunction(ORG2);
        dataManager = orchestrator.dataManager(ORG2);
        // The orchestrator publishes asynchronously: let these go (to nowhere) first.
        Thread.sleep(1500);
      } finally {
        broker
            .channel()
            .queueBind(RealOrchestrator.QUEUE, OrchestratorProcess.EXCHANGE, Orchestrator.CHANNEL);
      }
    }
    assertThat(function(readModel, dropped)).isNull();

    String after = orchestrator.trainFunction(ORG2);
    Awaitility.await().atMost(PATIENCE).until(() -> function(readModel, after) != null);
    assertThat(function(readModel, dropped)).isEqualTo("train");
    assertThat(
            readModel.value("SELECT count(*) FROM data_managers WHERE key = ?::uuid", dataManager))
        .isEqualTo(1L);
    // Progress is the last position, the gap closed, nothing skipped.
    Map<String, Object> progress =
        readModel.row("SELECT * FROM channel_progress WHERE channel = 'mychannel'");
    Map.Entry<Long, String> last = OrchestratorProcess.lastEvent(Orchestrator.CHANNEL);
    assertThat(progress.get("position")).isEqualTo(last.getKey());
    assertThat(progress.get("event_id").toString()).isEqualTo(last.getValue());
    assertThat(readModel.value("SELECT count(*) FROM skipped_events")).isEqualTo(0L);
    awaitReady();
  }

  @Test
  void aMessageThatIsNotAnEventIsDeadLetteredAndConsumptionGoesOn() throws Exception {
    ReadModel readModel = new ReadModel(dataSource);
    try (Broker broker = new Broker()) {
      broker.awaitQueue(RealOrchestrator.QUEUE + ".dlq", PATIENCE);
      broker.channel().queuePurge(RealOrchestrator.QUEUE + ".dlq");
      broker
          .channel()
          .basicPublish(
              OrchestratorProcess.EXCHANGE,
              Orchestrator.CHANNEL,
              new AMQP.BasicProperties.Builder()
                  .messageId("garbage")
                  .headers(Map.of("position", 1L))
                  .build(),
              "not a protobuf event".getBytes(StandardCharsets.UTF_8));
      String next = orchestrator.trainFunction(ORG2);
      Awaitility.await().atMost(PATIENCE).until(() -> function(readModel, next) != null);
      Awaitility.await()
          .atMost(PATIENCE)
          .until(() -> broker.channel().messageCount(RealOrchestrator.QUEUE + ".dlq") == 1);
      assertThat(broker.drain(RealOrchestrator.QUEUE + ".dlq").get(0).getProps().getMessageId())
          .isEqualTo("garbage");
    }
    awaitReady();
  }
}
