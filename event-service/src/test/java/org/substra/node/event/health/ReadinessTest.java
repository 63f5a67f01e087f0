package org.substra.node.event.health;

import static org.substra.node.testing.Dependency.ORCHESTRATOR;
import static org.substra.node.testing.Dependency.POSTGRESQL;
import static org.substra.node.testing.Dependency.RABBITMQ;
import static org.substra.node.testing.ReadinessAssertions.assertDownWhileUnreachable;
import static org.substra.node.testing.ReadinessAssertions.assertReady;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.substra.node.testing.Dependency;
import org.substra.node.testing.WithLocalDependencies;

@QuarkusTest
@TestProfile(ReadinessTest.NoEvents.class)
@WithLocalDependencies({Dependency.POSTGRESQL, Dependency.RABBITMQ, Dependency.ORCHESTRATOR})
class ReadinessTest {

  /**
   * The orchestrator here is a bare health endpoint: consume from an exchange nobody publishes to,
   * so that no event asks it for a replay.
   */
  public static class NoEvents implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "events.consumption.exchange", "events-test.readiness",
          "events.consumption.queue", "events-test.readiness");
    }
  }

  @Test
  void readyWhenEveryDependencyAnswers() {
    assertReady(POSTGRESQL, RABBITMQ, ORCHESTRATOR);
  }

  @Test
  void goesDownWhilePostgresqlIsUnreachableAndRecovers() {
    assertDownWhileUnreachable(POSTGRESQL);
  }

  @Test
  void goesDownWhileRabbitmqIsUnreachableAndRecovers() {
    assertDownWhileUnreachable(RABBITMQ);
  }

  @Test
  void goesDownWhileOrchestratorIsUnreachableAndRecovers() {
    assertDownWhileUnreachable(ORCHESTRATOR);
  }
}
