package org.substra.node.orchestrator.event;

import io.grpc.Status;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import org.jboss.logging.Logger;
import org.substra.node.orchestrator.identity.Caller;
import org.substra.node.orchestrator.protocol.Event;
import org.substra.node.orchestrator.protocol.QueryEventsParam;
import org.substra.node.orchestrator.protocol.QueryEventsResponse;
import org.substra.node.orchestrator.protocol.SubscribeToEventsParam;
import org.substra.node.orchestrator.storage.Page;
import org.substra.node.orchestrator.storage.Transactions;

/** {@code orchestrator.EventService}. */
@GrpcService
public class EventGrpcService implements org.substra.node.orchestrator.protocol.EventService {

  private static final Logger LOG = Logger.getLogger(EventGrpcService.class);

  private final Transactions transactions;
  private final EventRepository events;
  private final EventStream stream;

  EventGrpcService(Transactions transactions, EventRepository events, EventStream stream) {
    this.transactions = transactions;
    this.events = events;
    this.stream = stream;
  }

  @Override
  public Uni<QueryEventsResponse> queryEvents(QueryEventsParam request) {
    Page page = Page.of(request.getPageToken(), request.getPageSize());
    return transactions.read(
        Caller.current(),
        tx ->
            events
                .query(
                    tx.connection(),
                    tx.channel(),
                    request.getFilter(),
                    request.getSort(),
                    page.offset(),
                    page.fetchSize())
                .map(
                    found ->
                        QueryEventsResponse.newBuilder()
                            .addAllEvents(page.items(found))
                            .setNextPageToken(page.nextToken(found))
                            .build()));
  }

  @Override
  public Multi<Event> subscribeToEvents(SubscribeToEventsParam request) {
    // Errors on the stream travel as UNKNOWN with their text, as in the reference.
    Caller caller = Caller.current();
    return stream
        .subscribe(caller, request.getStartEventId())
        .onFailure(failure -> !(failure instanceof io.grpc.StatusRuntimeException))
        .transform(
            failure -> {
              LOG.warnf("event stream of %s failed: %s", caller, failure);
              String description =
                  failure.getMessage() != null ? failure.getMessage() : failure.toString();
              return Status.UNKNOWN.withDescription(description).asRuntimeException();
            });
  }
}
