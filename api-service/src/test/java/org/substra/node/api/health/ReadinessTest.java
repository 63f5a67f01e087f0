package org.substra.node.api.health;

import static org.substra.node.testing.Dependency.OBJECT_STORAGE;
import static org.substra.node.testing.Dependency.ORCHESTRATOR;
import static org.substra.node.testing.Dependency.POSTGRESQL;
import static org.substra.node.testing.ReadinessAssertions.assertDownWhileUnreachable;
import static org.substra.node.testing.ReadinessAssertions.assertReady;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.substra.node.testing.Dependency;
import org.substra.node.testing.WithLocalDependencies;

@QuarkusTest
@WithLocalDependencies({Dependency.POSTGRESQL, Dependency.OBJECT_STORAGE, Dependency.ORCHESTRATOR})
class ReadinessTest {

  @Test
  void readyWhenEveryDependencyAnswers() {
    assertReady(POSTGRESQL, OBJECT_STORAGE, ORCHESTRATOR);
  }

  @Test
  void goesDownWhilePostgresqlIsUnreachableAndRecovers() {
    assertDownWhileUnreachable(POSTGRESQL);
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
