package org.substra.node.orchestrator.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.substra.node.orchestrator.OrchestratorChannel.as;

import com.rabbitmq.client.GetResponse;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.substra.node.orchestrator.CleanOrchestrator;
import org.substra.node.orchestrator.OrchestratorChannel;
import org.substra.node.orchestrator.protocol.AssetKind;
import org.substra.node.orchestrator.protocol.Event;
import org.substra.node.orchestrator.protocol.EventKind;
import org.substra.node.orchestrator.protocol.EventQueryFilter;
import org.substra.node.orchestrator.protocol.EventServiceGrpc;
import org.substra.node.orchestrator.protocol.OrganizationServiceGrpc;
import org.substra.node.orchestrator.protocol.QueryEventsParam;
import org.substra.node.orchestrator.protocol.QueryEventsResponse;
import org.substra.node.orchestrator.protocol.RegisterOrganizationParam;
import org.substra.node.orchestrator.protocol.SortOrder;
import org.substra.node.orchestrator.protocol.SubscribeToEventsParam;
import org.substra.node.testing.Dependency;
import org.substra.node.testing.WithLocalDependencies;

/**
 * Events of spec §4: the log, QueryEvents, SubscribeToEvents, and their publication to RabbitMQ.
 */
@QuarkusTest
@WithLocalDependencies(
    value = {Dependency.POSTGRESQL, Dependency.RABBITMQ},
    database = "orchestrator_test")
class EventDeliveryTest {

  @Inject Pool pool;
  private OrchestratorChannel orchestrator;

  @BeforeEach
  void open() {
    CleanOrchestrator.truncate(pool);
    orchestrator = new OrchestratorChannel();
  }

  @AfterEach
  void close() throws InterruptedException {
    orchestrator.close();
  }

  @Test
  void queryEventsFiltersAndPagesWithinTheChannel() {
    register("MyOrg1MSP", "mychannel");
    register("MyOrg2MSP", "mychannel");
    register("MyOrg2MSP", "yourchannel");

    QueryEventsResponse first = query("mychannel", EventQueryFilter.getDefaultInstance(), "", 1);
    QueryEventsResponse second = query("mychannel", EventQueryFilter.getDefaultInstance(), "1", 1);
    QueryEventsResponse byKey =
        query("mychannel", EventQueryFilter.newBuilder().setAssetKey("MyOrg2MSP").build(), "", 0);

    assertEquals(1, first.getEventsCount());
    assertEquals("1", first.getNextPageToken());
    assertEquals(1, second.getEventsCount());
    assertEquals("", second.getNextPageToken());
    Event event = byKey.getEvents(0);
    assertEquals(1, byKey.getEventsCount());
    assertEquals(AssetKind.ASSET_ORGANIZATION, event.getAssetKind());
    assertEquals(EventKind.EVENT_ASSET_CREATED, event.getEventKind());
    assertEquals("mychannel", event.getChannel());
    assertEquals("MyOrg2MSP", event.getOrganization().getId());
    assertEquals(event.getTimestamp(), event.getOrganization().getCreationDate());
  }

  @Test
  void aBadPageTokenIsRefused() {
    StatusRuntimeException refused =
        assertThrows(
            StatusRuntimeException.class,
            () -> query("mychannel", EventQueryFilter.getDefaultInstance(), "abc", 0));
    assertEquals(Status.Code.UNKNOWN, refused.getStatus().getCode());
  }

  @Test
  void subscribeReplaysAfterTheGivenEventThenFollowsNewOnes() throws Exception {
    register("MyOrg1MSP", "mychannel");
    register("MyOrg2MSP", "yourchannel");
    register("MyOrg2MSP", "mychannel");
    String firstId =
        query("mychannel", EventQueryFilter.getDefaultInstance(), "", 0).getEvents(0).getId();

    List<String> seen = new ArrayList<>();
    Context.CancellableContext call = Context.current().withCancellation();
    try {
      call.run(
          () -> {
            Iterator<Event> stream =
                as(
                        EventServiceGrpc.newBlockingStub(orchestrator.channel()),
                        "MyOrg1MSP",
                        "mychannel")
                    .withDeadlineAfter(30, java.util.concurrent.TimeUnit.SECONDS)
                    .subscribeToEvents(
                        SubscribeToEventsParam.newBuilder().setStartEventId(firstId).build());
            seen.add(stream.next().getAssetKey());
            register("MyOrg3MSP", "mychannel");
            seen.add(stream.next().getAssetKey());
          });
    } finally {
      call.cancel(null);
    }

    assertEquals(List.of("MyOrg2MSP", "MyOrg3MSP"), seen);
  }

  @Test
  void subscribingFromAnUnknownEventFails() {
    Iterator<Event> stream =
        as(EventServiceGrpc.newBlockingStub(orchestrator.channel()), "MyOrg1MSP", "mychannel")
            .subscribeToEvents(
                SubscribeToEventsParam.newBuilder()
                    .setStartEventId("00000000-0000-4000-8000-000000000000")
                    .build());

    StatusRuntimeException failed = assertThrows(StatusRuntimeException.class, stream::next);
    assertEquals(Status.Code.UNKNOWN, failed.getStatus().getCode());
    assertEquals("no rows in result set", failed.getStatus().getDescription());
  }

  @Test
  void committedEventsArePublishedToRabbitMqInPositionOrder() throws Exception {
    try (EventQueue queue = new EventQueue("mychannel")) {
      register("MyOrg1MSP", "mychannel");
      register("MyOrg2MSP", "yourchannel");
      register("MyOrg2MSP", "mychannel");

      List<GetResponse> received = queue.receive(2);

      assertEquals(2, received.size());
      for (int i = 0; i < 2; i++) {
        GetResponse message = received.get(i);
        Event event = Event.parseFrom(message.getBody());
        assertEquals("mychannel", message.getEnvelope().getRoutingKey());
        assertEquals(event.getId(), message.getProps().getMessageId());
        assertEquals(2, message.getProps().getDeliveryMode());
        assertEquals((long) i + 1, message.getProps().getHeaders().get("position"));
        assertNotNull(event.getOrganization());
      }
      assertEquals(
          List.of("MyOrg1MSP", "MyOrg2MSP"),
          received.stream()
              .map(m -> m.getProps().getHeaders().get("asset_key").toString())
              .toList());
    }
  }

  private void register(String mspid, String channel) {
    as(OrganizationServiceGrpc.newBlockingStub(orchestrator.channel()), mspid, channel)
        .registerOrganization(RegisterOrganizationParam.getDefaultInstance());
  }

  private QueryEventsResponse query(
      String channel, EventQueryFilter filter, String token, int size) {
    return as(EventServiceGrpc.newBlockingStub(orchestrator.channel()), "MyOrg2MSP", channel)
        .queryEvents(
            QueryEventsParam.newBuilder()
                .setFilter(filter)
                .setPageToken(token)
                .setPageSize(size)
                .setSort(SortOrder.ASCENDING)
                .build());
  }
}
