package org.substra.node.orglink.health;

import static org.substra.node.testing.Dependency.POSTGRESQL;
import static org.substra.node.testing.ReadinessAssertions.assertDownWhileUnreachable;
import static org.substra.node.testing.ReadinessAssertions.assertReady;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.substra.node.testing.Dependency;
import org.substra.node.testing.WithLocalDependencies;

@QuarkusTest
@WithLocalDependencies(Dependency.POSTGRESQL)
class ReadinessTest {

  @Test
  void readyWhenEveryDependencyAnswers() {
    assertReady(POSTGRESQL);
  }

  @Test
  void goesDownWhilePostgresqlIsUnreachableAndRecovers() {
    assertDownWhileUnreachable(POSTGRESQL);
  }
}
