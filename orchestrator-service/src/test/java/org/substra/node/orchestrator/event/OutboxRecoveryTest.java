package org.substra.node.orchestrator.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.substra.node.orchestrator.OrchestratorChannel.as;

import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
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
import org.substra.node.testing.LocalInfrastructure;
import org.substra.node.testing.WithLocalDependencies;

/**
 * The outbox across a crash: with no publisher running (as after a crash between commit and
 * publication), committed events wait; a publisher that starts later sends all of them, in order,
 * once; a batch whose "published" mark was lost is sent again, in order, for consumers to skip.
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
  private Connection broker;
  private Channel channel;
  private String queue;

  @BeforeEach
  void open() throws Exception {
    CleanOrchestrator.truncate(pool);
    orchestrator = new OrchestratorChannel();
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost(LocalInfrastructure.RABBITMQ_HOST);
    factory.setPort(LocalInfrastructure.RABBITMQ_PORT);
    factory.setUsername(LocalInfrastructure.RABBITMQ_USER);
    factory.setPassword(LocalInfrastructure.RABBITMQ_PASSWORD);
    factory.setVirtualHost(LocalInfrastructure.RABBITMQ_TEST_VHOST);
    broker = factory.newConnection();
    channel = broker.createChannel();
    channel.exchangeDeclare("orchestrator", BuiltinExchangeType.TOPIC, true);
    queue = channel.queueDeclare().getQueue();
    channel.queueBind(queue, "orchestrator", "mychannel");
  }

  @AfterEach
  void close() throws Exception {
    broker.close();
    orchestrator.close();
  }

  @Test
  void committedEventsArePublishedInOrderOnceAPublisherRuns() throws Exception {
    for (String organization : List.of("MyOrg1MSP", "MyOrg2MSP", "MyOrg3MSP")) {
      as(OrganizationServiceGrpc.newBlockingStub(orchestrator.channel()), organization, "mychannel")
          .registerOrganization(RegisterOrganizationParam.getDefaultInstance());
    }
    Thread.sleep(500);
    assertNull(channel.basicGet(queue, true), "nothing is published while no publisher runs");

    assertEquals(3, publisher.publishBatch());
    assertEquals(0, publisher.publishBatch(), "a published event is not sent again");
    assertEquals(List.of(1L, 2L, 3L), positionsReceived(3));

    pool.query("UPDATE events SET published = false WHERE position >= 2")
        .execute()
        .await()
        .atMost(Duration.ofSeconds(5));
    assertEquals(2, publisher.publishBatch());
    assertEquals(List.of(2L, 3L), positionsReceived(2));
  }

  private List<Long> positionsReceived(int count) throws Exception {
    List<Long> positions = new ArrayList<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (positions.size() < count && System.nanoTime() < deadline) {
      GetResponse message = channel.basicGet(queue, true);
      if (message == null) {
        Thread.sleep(50);
      } else {
        positions.add((Long) message.getProps().getHeaders().get("position"));
      }
    }
    assertNull(channel.basicGet(queue, true), "no message beyond the expected ones");
    return positions;
  }
}
