package org.substra.node.event.consumption;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.substra.node.orchestrator.protocol.Event;

/** Queries of {@code channel_progress} and {@code skipped_events}. */
@ApplicationScoped
public class ProgressRepository {

  /** The last event applied in a channel; position 0 and no id before the first one. */
  public record Progress(long position, String eventId) {
    static final Progress NONE = new Progress(0, "");
  }

  /** The progress of {@code channels}, locked until the caller's transaction ends. */
  Map<String, Progress> lock(Connection db, Collection<String> channels) throws SQLException {
    Map<String, Progress> progress = new HashMap<>();
    try (PreparedStatement select =
        db.prepareStatement(
            "SELECT channel, position, event_id FROM channel_progress WHERE channel = ANY (?)"
                + " FOR UPDATE")) {
      select.setArray(1, db.createArrayOf("text", channels.toArray()));
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          progress.put(
              rows.getString(1), new Progress(rows.getLong(2), rows.getObject(3).toString()));
        }
      }
    }
    return progress;
  }

  void save(Connection db, String channel, long position, Event event) throws SQLException {
    try (PreparedStatement upsert =
        db.prepareStatement(
            "INSERT INTO channel_progress (channel, position, event_id, event_timestamp)"
                + " VALUES (?, ?, ?, ?) ON CONFLICT (channel) DO UPDATE SET"
                + " position = excluded.position, event_id = excluded.event_id,"
                + " event_timestamp = excluded.event_timestamp, applied_at = now()")) {
      upsert.setString(1, channel);
      upsert.setLong(2, position);
      upsert.setObject(3, UUID.fromString(event.getId()));
      upsert.setObject(
          4,
          OffsetDateTime.ofInstant(
              java.time.Instant.ofEpochSecond(
                  event.getTimestamp().getSeconds(), event.getTimestamp().getNanos()),
              java.time.ZoneOffset.UTC));
      upsert.executeUpdate();
    }
  }

  void skipped(Connection db, ReceivedEvent received, String reason) throws SQLException {
    Event event = received.event();
    try (PreparedStatement insert =
        db.prepareStatement(
            "INSERT INTO skipped_events (channel, position, event_id, asset_kind, event_kind,"
                + " asset_key, reason) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
      insert.setString(1, received.channel());
      insert.setLong(2, received.position());
      insert.setObject(3, UUID.fromString(event.getId()));
      insert.setString(4, event.getAssetKind().name());
      insert.setString(5, event.getEventKind().name());
      insert.setString(6, event.getAssetKey());
      insert.setString(7, reason);
      insert.executeUpdate();
    }
  }
}
