package org.substra.node.event.consumption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.substra.node.event.testing.Orchestrator.ORG1;
import static org.substra.node.event.testing.Orchestrator.ORG2;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
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

/**
 * A lost last message shows no gap (nothing arrives after it): the idle check finds it in the
 * orchestrator's stream once the broker has been quiet for a while.
 */
@QuarkusTest
@TestProfile(IdleCatchUpTest.QuickIdleCheck.class)
@WithLocalDependencies({Dependency.POSTGRESQL, Dependency.RABBITMQ})
@WithTestResource(RealOrchestrator.class)
class IdleCatchUpTest {

  public static class QuickIdleCheck implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("events.consumption.idle-check-interval", "3s");
    }
  }

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
  void aLostLastMessageIsAppliedFromTheOrchestratorWhenTheBrokerIsQuiet() throws Exception {
    ReadModel readModel = new ReadModel(dataSource);
    String lost;
    try (Broker broker = new Broker()) {
      broker
          .channel()
          .queueUnbind(RealOrchestrator.QUEUE, OrchestratorProcess.EXCHANGE, Orchestrator.CHANNEL);
      try {
        lost = orchestrator.trainFunction(ORG2);
        Thread.sleep(1500);
      } finally {
        broker
            .channel()
            .queueBind(RealOrchestrator.QUEUE, OrchestratorProcess.EXCHANGE, Orchestrator.CHANNEL);
      }
    }

    Awaitility.await()
        .atMost(PATIENCE)
        .until(
            () -> readModel.value("SELECT name FROM functions WHERE key = ?::uuid", lost) != null);
    Map<String, Object> progress =
        readModel.row("SELECT * FROM channel_progress WHERE channel = 'mychannel'");
    assertThat(progress.get("position"))
        .isEqualTo(OrchestratorProcess.lastEvent(Orchestrator.CHANNEL).getKey());
    assertThat(readModel.value("SELECT count(*) FROM skipped_events")).isEqualTo(0L);
  }
}
