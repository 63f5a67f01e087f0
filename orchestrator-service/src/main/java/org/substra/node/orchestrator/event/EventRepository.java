package org.substra.node.orchestrator.event;

import com.google.protobuf.InvalidProtocolBufferException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.UUID;
import org.substra.node.orchestrator.protocol.AssetKind;
import org.substra.node.orchestrator.protocol.Event;
import org.substra.node.orchestrator.protocol.EventKind;
import org.substra.node.orchestrator.protocol.EventQueryFilter;
import org.substra.node.orchestrator.protocol.SortOrder;

/** Reads of the event log. */
@ApplicationScoped
public class EventRepository {

  private final Pool pool;

  EventRepository(Pool pool) {
    this.pool = pool;
  }

  /** The position of event {@code id} in {@code channel}, or null when there is none. */
  public Uni<Long> positionOf(String channel, UUID id) {
    return pool.preparedQuery("SELECT position FROM events WHERE channel = $1 AND id = $2")
        .execute(Tuple.of(channel, id))
        .map(rows -> rows.iterator().hasNext() ? rows.iterator().next().getLong(0) : null);
  }

  /** Up to {@code limit} events of {@code channel} after {@code position}, in position order. */
  public Uni<List<StoredEvent>> after(String channel, long position, int limit) {
    return pool.preparedQuery(
            "SELECT position, payload FROM events WHERE channel = $1 AND position > $2"
                + " ORDER BY position LIMIT $3")
        .execute(Tuple.of(channel, position, limit))
        .map(
            rows -> {
              List<StoredEvent> events = new ArrayList<>();
              for (Row row : rows) {
                events.add(new StoredEvent(row.getLong("position"), decode(row)));
              }
              return events;
            });
  }

  /** QueryEvents (spec §4.2): filters, then timestamp and id order, offset paging. */
  public Uni<List<Event>> query(
      SqlClient client,
      String channel,
      EventQueryFilter filter,
      SortOrder sort,
      long offset,
      int limit) {
    StringBuilder sql = new StringBuilder("SELECT payload FROM events WHERE channel = $1");
    List<Object> params = new ArrayList<>(List.of(channel));
    if (!filter.getAssetKey().isEmpty()) {
      params.add(filter.getAssetKey());
      sql.append(" AND asset_key = $").append(params.size());
    }
    if (filter.getAssetKind() != AssetKind.ASSET_UNKNOWN) {
      params.add(filter.getAssetKind().name());
      sql.append(" AND asset_kind = $").append(params.size());
    }
    if (filter.getEventKind() != EventKind.EVENT_UNKNOWN) {
      params.add(filter.getEventKind().name());
      sql.append(" AND event_kind = $").append(params.size());
    }
    if (filter.getMetadataCount() > 0) {
      params.add(new JsonObject(new HashMap<>(filter.getMetadataMap())));
      sql.append(" AND metadata @> $").append(params.size());
    }
    if (filter.hasStart()) {
      params.add(time(filter.getStart()));
      sql.append(" AND timestamp >= $").append(params.size());
    }
    if (filter.hasEnd()) {
      params.add(time(filter.getEnd()));
      sql.append(" AND timestamp <= $").append(params.size());
    }
    String direction = sort == SortOrder.DESCENDING ? "DESC" : "ASC";
    sql.append(" ORDER BY timestamp ").append(direction).append(", id ").append(direction);
    params.add(limit);
    sql.append(" LIMIT $").append(params.size());
    params.add(offset);
    sql.append(" OFFSET $").append(params.size());
    return client
        .preparedQuery(sql.toString())
        .execute(Tuple.tuple(params))
        .map(
            rows -> {
              List<Event> events = new ArrayList<>();
              rows.forEach(row -> events.add(decode(row)));
              return events;
            });
  }

  private static OffsetDateTime time(com.google.protobuf.Timestamp timestamp) {
    return OffsetDateTime.ofInstant(
        Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos()), ZoneOffset.UTC);
  }

  private static Event decode(Row row) {
    try {
      return Event.parseFrom(row.getBuffer("payload").getBytes());
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("unreadable event payload", e);
    }
  }
}
