package org.substra.node.event.repair;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/** Which channel the read model has each task in: the orchestrator is asked in that channel. */
@ApplicationScoped
public class TaskChannels {

  Map<String, String> of(Connection db, Collection<String> keys) throws SQLException {
    Map<String, String> channels = new HashMap<>();
    try (PreparedStatement select =
        db.prepareStatement(
            "SELECT key::text, channel FROM compute_tasks WHERE key = ANY (?::uuid[])")) {
      select.setArray(1, db.createArrayOf("text", keys.toArray()));
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          channels.put(rows.getString(1), rows.getString(2));
        }
      }
    }
    return channels;
  }
}
