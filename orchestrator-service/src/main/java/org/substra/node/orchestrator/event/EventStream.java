package org.substra.node.orchestrator.event;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.substra.node.orchestrator.identity.Caller;
import org.substra.node.orchestrator.protocol.Event;

/**
 * SubscribeToEvents (spec §4.2): replays the channel's events after the given one, then follows new
 * ones as they commit, never completing. Woken by this replica's commits, and by polling for the
 * commits of other replicas.
 */
@ApplicationScoped
public class EventStream {

  private final EventRepository events;
  private final EventLog log;
  private final EventsConfig config;

  EventStream(EventRepository events, EventLog log, EventsConfig config) {
    this.events = events;
    this.log = log;
    this.config = config;
  }

  public Multi<Event> subscribe(Caller caller, String startEventId) {
    return startPosition(caller.channel(), startEventId)
        .onItem()
        .transformToMulti(
            start -> {
              AtomicLong last = new AtomicLong(start);
              return Multi.createBy()
                  .repeating()
                  .uni(() -> nextBatch(caller.channel(), last))
                  .indefinitely()
                  .onItem()
                  .transformToIterable(batch -> batch);
            });
  }

  private Uni<Long> startPosition(String channel, String startEventId) {
    if (startEventId.isEmpty()) {
      return Uni.createFrom().item(0L);
    }
    UUID id;
    try {
      id = UUID.fromString(startEventId);
    } catch (IllegalArgumentException e) {
      return Uni.createFrom().failure(new IllegalArgumentException("no rows in result set"));
    }
    return events
        .positionOf(channel, id)
        .onItem()
        .ifNull()
        .failWith(() -> new IllegalArgumentException("no rows in result set"));
  }

  private Uni<List<Event>> nextBatch(String channel, AtomicLong last) {
    return events
        .after(channel, last.get(), config.replayBatchSize())
        .flatMap(
            batch -> {
              if (batch.isEmpty()) {
                return Uni.createFrom()
                    .completionStage(log.nextCommit())
                    .ifNoItem()
                    .after(config.pollInterval())
                    .recoverWithItem((Void) null)
                    .replaceWith(List.<Event>of());
              }
              last.set(batch.get(batch.size() - 1).position());
              return Uni.createFrom().item(batch.stream().map(StoredEvent::event).toList());
            });
  }
}
