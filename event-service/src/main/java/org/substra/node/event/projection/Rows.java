package org.substra.node.event.projection;

import com.google.protobuf.Timestamp;
import io.vertx.core.json.JsonObject;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.substra.node.orchestrator.protocol.Permission;

/** Conversions between the orchestrator's messages and the read model's column types. */
final class Rows {

  private Rows() {}

  static OffsetDateTime time(Timestamp timestamp) {
    return OffsetDateTime.ofInstant(
        Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos()), ZoneOffset.UTC);
  }

  static UUID uuid(String key) {
    return UUID.fromString(key);
  }

  static String json(Map<String, ?> map) {
    return new JsonObject(new java.util.TreeMap<>(map)).encode();
  }

  static Array texts(Connection db, List<String> values) throws SQLException {
    return db.createArrayOf("text", values.toArray());
  }

  /** Sets {@code permission} as its two columns, public then authorized ids, from {@code index}. */
  static int permission(PreparedStatement statement, int index, Permission permission)
      throws SQLException {
    statement.setBoolean(index, permission.getPublic());
    statement.setArray(
        index + 1, texts(statement.getConnection(), permission.getAuthorizedIdsList()));
    return index + 2;
  }
}
