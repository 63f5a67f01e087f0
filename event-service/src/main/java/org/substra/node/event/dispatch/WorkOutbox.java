package org.substra.node.event.dispatch;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.substra.node.event.projection.ProjectionBatch;

/** Queries of the outbox table {@code work_outbox}. */
@ApplicationScoped
public class WorkOutbox {

  /** A recorded message not yet confirmed by the broker. */
  public record Pending(String id, String kind, String routingKey, String body) {}

  /** Records {@code message} in the caller's transaction; a message already recorded is kept. */
  public void record(Connection db, ProjectionBatch batch, WorkMessage message)
      throws SQLException {
    PreparedStatement insert =
        batch.defer(
            db,
            ProjectionBatch.Stage.WORK,
            "INSERT INTO work_outbox (id, kind, routing_key, body) VALUES (?, ?, ?, ?)"
                + " ON CONFLICT (id) DO NOTHING");
    insert.setString(1, message.id());
    insert.setString(2, message.kind().wireName());
    insert.setString(3, message.routingKey());
    insert.setString(4, message.body().encode());
    insert.addBatch();
  }

  List<Pending> unpublished(Connection db, int limit) throws SQLException {
    try (PreparedStatement select =
        db.prepareStatement(
            "SELECT id, kind, routing_key, body FROM work_outbox WHERE published_at IS NULL"
                + " ORDER BY seq LIMIT ?")) {
      select.setInt(1, limit);
      List<Pending> pending = new ArrayList<>();
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          pending.add(
              new Pending(
                  rows.getString(1), rows.getString(2), rows.getString(3), rows.getString(4)));
        }
      }
      return pending;
    }
  }

  void markPublished(Connection db, List<String> ids) throws SQLException {
    try (PreparedStatement update =
        db.prepareStatement("UPDATE work_outbox SET published_at = now() WHERE id = ANY (?)")) {
      update.setArray(1, db.createArrayOf("text", ids.toArray()));
      update.executeUpdate();
    }
  }

  /** One publisher at a time across replicas, for the length of the caller's transaction. */
  boolean tryLock(Connection db) throws SQLException {
    try (PreparedStatement lock = db.prepareStatement("SELECT pg_try_advisory_xact_lock(?)")) {
      lock.setLong(1, 0x776f726b6f7574L);
      try (ResultSet result = lock.executeQuery()) {
        return result.next() && result.getBoolean(1);
      }
    }
  }
}
