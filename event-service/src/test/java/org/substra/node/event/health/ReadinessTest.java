package org.substra.node.event.health;

import static org.substra.node.testing.Dependency.ORCHESTRATOR;
import static org.substra.node.testing.Dependency.POSTGRESQL;
import static org.substra.node.testing.Dependency.RABBITMQ;
import static org.substra.node.testing.ReadinessAssertions.assertDownWhileUnreachable;
import static org.substra.node.testing.ReadinessAssertions.assertReady;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.substra.node.testing.Dependency;
import org.substra.node.testing.WithLocalDependencies;

@QuarkusTest
@WithLocalDependencies({Dependency.POSTGRESQL, Dependency.RABBITMQ, Dependency.ORCHESTRATOR})
class ReadinessTest {

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
