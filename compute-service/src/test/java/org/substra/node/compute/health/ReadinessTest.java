package org.substra.node.compute.health;

import static org.substra.node.testing.Dependency.OBJECT_STORAGE;
import static org.substra.node.testing.Dependency.ORCHESTRATOR;
import static org.substra.node.testing.Dependency.RABBITMQ;
import static org.substra.node.testing.ReadinessAssertions.assertDownWhileUnreachable;
import static org.substra.node.testing.ReadinessAssertions.assertReady;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.substra.node.testing.Dependency;
import org.substra.node.testing.WithLocalDependencies;

@QuarkusTest
@WithLocalDependencies({Dependency.RABBITMQ, Dependency.OBJECT_STORAGE, Dependency.ORCHESTRATOR})
class ReadinessTest {

  @Test
  void readyWhenEveryDependencyAnswers() {
    assertReady(RABBITMQ, OBJECT_STORAGE, ORCHESTRATOR);
  }

  @Test
  void goesDownWhileRabbitmqIsUnreachableAndRecovers() {
    assertDownWhileUnreachable(RABBITMQ);
  }

  @Test
  void goesDownWhileObjectStorageIsUnreachableAndRecovers() {
    assertDownWhileUnreachable(OBJECT_STORAGE);
  }

  @Test
  void goesDownWhileOrchestratorIsUnreachableAndRecovers() {
    assertDownWhileUnreachable(ORCHESTRATOR);
  }
}
