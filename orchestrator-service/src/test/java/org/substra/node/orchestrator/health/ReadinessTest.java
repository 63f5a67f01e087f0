package org.substra.node.orchestrator.health;

import static org.substra.node.testing.Dependency.POSTGRESQL;
import static org.substra.node.testing.Dependency.RABBITMQ;
import static org.substra.node.testing.ReadinessAssertions.assertDownWhileUnreachable;
import static org.substra.node.testing.ReadinessAssertions.assertReady;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.substra.node.testing.Dependency;
import org.substra.node.testing.WithLocalDependencies;

@QuarkusTest
@WithLocalDependencies(
    value = {Dependency.POSTGRESQL, Dependency.RABBITMQ},
    database = "orchestrator_test")
class ReadinessTest {

  @Test
  void readyWhenEveryDependencyAnswers() {
    assertReady(POSTGRESQL, RABBITMQ);
  }

  @Test
  void goesDownWhilePostgresqlIsUnreachableAndRecovers() {
    assertDownWhileUnreachable(POSTGRESQL);
  }

  @Test
  void goesDownWhileRabbitmqIsUnreachableAndRecovers() {
    assertDownWhileUnreachable(RABBITMQ);
  }
}
