package org.substra.node.orchestrator.event;

import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.substra.node.orchestrator.protocol.Event;
import org.substra.node.orchestrator.storage.Tx;

/**
 * Appends a transaction's events with the next positions of its channel. The table lock conflicts
 * with itself, so event-producing writes are serialized and position order is commit order: a
 * reader resuming after position P can never miss a lower position that commits later.
 */
@ApplicationScoped
public class EventLog {

  private volatile CompletableFuture<Void> nextCommit = new CompletableFuture<>();

  /**
   * Taken by every write transaction before its first query (see Transactions): the lock conflicts
   * with itself, so writers follow one another and positions follow commit order.
   */
  public Uni<Void> lock(SqlConnection connection) {
    return connection
        .query("LOCK TABLE events IN SHARE ROW EXCLUSIVE MODE")
        .execute()
        .replaceWithVoid();
  }

  /** Called by the transaction, which holds the lock, before commit. */
  public Uni<Void> append(Tx tx) {
    List<Event> events = tx.events();
    if (events.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    SqlConnection connection = tx.connection();
    return connection
        .preparedQuery("SELECT COALESCE(MAX(position), 0) FROM events WHERE channel = $1")
        .execute(Tuple.of(tx.channel()))
        .flatMap(
            rows -> {
              long position = rows.iterator().next().getLong(0);
              boolean firstOfChannel = position == 0;
              List<Tuple> batch = new ArrayList<>(events.size());
              for (Event event : events) {
                batch.add(row(event, ++position, tx.now()));
              }
              Uni<?> inserted =
                  connection
                      .preparedQuery(
                          "INSERT INTO events (id, channel, position, asset_key, asset_kind,"
                              + " event_kind, timestamp, metadata, payload)"
                              + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
                      .executeBatch(batch);
              if (!firstOfChannel) {
                return inserted;
              }
              // The publisher follows the channels that have a mark.
              return inserted.flatMap(
                  done ->
                      connection
                          .preparedQuery(
                              "INSERT INTO publication_marks (channel, position) VALUES ($1, 0)"
                                  + " ON CONFLICT DO NOTHING")
                          .execute(Tuple.of(tx.channel())));
            })
        .replaceWithVoid();
  }

  /** Called once a write committed: wakes the streams and the publisher of this replica. */
  public void committed(Object ignored) {
    CompletableFuture<Void> current = nextCommit;
    nextCommit = new CompletableFuture<>();
    current.complete(null);
  }

  /**
   * Completes at the next commit of this replica. A copy for each waiter: a waiter that gives up
   * cancels what it was given (Mutiny does on a timeout), which must not fail the other waiters.
   */
  public CompletionStage<Void> nextCommit() {
    return nextCommit.copy();
  }

  private static Tuple row(Event event, long position, OffsetDateTime timestamp) {
    return Tuple.tuple(
        List.of(
            UUID.fromString(event.getId()),
            event.getChannel(),
            position,
            event.getAssetKey(),
            event.getAssetKind().name(),
            event.getEventKind().name(),
            timestamp,
            new JsonObject(new HashMap<>(event.getMetadataMap())),
            Buffer.buffer(event.toByteArray())));
  }
}
