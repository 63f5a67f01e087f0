package org.substra.node.orchestrator.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.substra.node.orchestrator.OrchestratorChannel.as;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.substra.node.orchestrator.CleanOrchestrator;
import org.substra.node.orchestrator.OrchestratorChannel;
import org.substra.node.orchestrator.protocol.OrganizationServiceGrpc;
import org.substra.node.orchestrator.protocol.RegisterOrganizationParam;
import org.substra.node.testing.Dependency;
import org.substra.node.testing.WithLocalDependencies;

/**
 * The outbox across a crash: with no publisher running (as after a crash between commit and
 * publication), committed events wait; a publisher that starts later sends all of them, in order,
 * once; a batch whose publication mark was lost is sent again, in order, for consumers to skip.
 */
@QuarkusTest
@TestProfile(OutboxRecoveryTest.NoBackgroundPublisher.class)
@WithLocalDependencies(
    value = {Dependency.POSTGRESQL, Dependency.RABBITMQ},
    database = "orchestrator_test")
class OutboxRecoveryTest {

  public static class NoBackgroundPublisher implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("orchestrator.events.publish", "false");
    }
  }

  @Inject Pool pool;
  @Inject EventPublisher publisher;
  private OrchestratorChannel orchestrator;
  private EventQueue queue;

  @BeforeEach
  void open() throws Exception {
    CleanOrchestrator.truncate(pool);
    orchestrator = new OrchestratorChannel();
    queue = new EventQueue("mychannel");
  }

  @AfterEach
  void close() throws Exception {
    queue.close();
    orchestrator.close();
  }

  @Test
  void committedEventsArePublishedInOrderOnceAPublisherRuns() throws Exception {
    for (String organization : List.of("MyOrg1MSP", "MyOrg2MSP", "MyOrg3MSP")) {
      as(OrganizationServiceGrpc.newBlockingStub(orchestrator.channel()), organization, "mychannel")
          .registerOrganization(RegisterOrganizationParam.getDefaultInstance());
    }
    Thread.sleep(500);
    assertNull(queue.poll(), "nothing is published while no publisher runs");

    assertEquals(3, publisher.publishBatch());
    assertEquals(0, publisher.publishBatch(), "a published event is not sent again");
    assertEquals(List.of(1L, 2L, 3L), positionsReceived(3));

    // A crash after publishing 2 and 3 but before their mark: the next leader starts from 1.
    publisher.resign();
    pool.query("UPDATE publication_marks SET position = 1 WHERE channel = 'mychannel'")
        .execute()
        .await()
        .atMost(Duration.ofSeconds(5));
    assertEquals(2, publisher.publishBatch());
    assertEquals(List.of(2L, 3L), positionsReceived(2));
  }

  private List<Long> positionsReceived(int count) throws Exception {
    List<Long> positions =
        queue.receive(count).stream()
            .map(message -> (Long) message.getProps().getHeaders().get("position"))
            .toList();
    assertNull(queue.poll(), "no message beyond the expected ones");
    return positions;
  }
}
