package org.substra.node.api.organization;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.substra.node.testing.Dependency;
import org.substra.node.testing.OrchestratorHealthEndpoint;
import org.substra.node.testing.WithLocalDependencies;

/** The node registers itself in its channel at start, with its public address (§3.3). */
@QuarkusTest
@WithLocalDependencies({Dependency.POSTGRESQL, Dependency.OBJECT_STORAGE, Dependency.ORCHESTRATOR})
class OrganizationRegistrationTest {

  @Test
  void theNodeRegistersItsOrganizationInItsChannel() {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                OrchestratorHealthEndpoint.registrations()
                    .contains("MyOrg1MSP@mychannel=http://localhost:8000"));
    assertTrue(
        OrchestratorHealthEndpoint.registrations().stream()
                .filter(entry -> entry.startsWith("MyOrg1MSP@mychannel"))
                .count()
            == 1);
  }
}
