package org.substra.node.orglink.probes;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Where other organizations answer: the address each registered in the orchestrator (worker-spec
 * §6.3), as event-service projects the organization records into {@code read_model.organizations} —
 * the same table api-service lists organizations from.
 */
@ApplicationScoped
public class PeerAddresses {

  private final DataSource dataSource;

  PeerAddresses(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** Organization id → address in any of {@code channels}; empty before event-service has run. */
  public Map<String, String> inChannels(List<String> channels) throws SQLException {
    Map<String, String> addresses = new HashMap<>();
    try (Connection connection = dataSource.getConnection()) {
      try (PreparedStatement exists =
              connection.prepareStatement(
                  "select to_regclass('read_model.organizations') is not null");
          ResultSet result = exists.executeQuery()) {
        if (!result.next() || !result.getBoolean(1)) {
          return addresses;
        }
      }
      try (PreparedStatement statement =
          connection.prepareStatement(
              "select id, address from read_model.organizations where channel = any(?) order by"
                  + " channel desc")) {
        Array array = connection.createArrayOf("text", channels.toArray());
        statement.setArray(1, array);
        try (ResultSet result = statement.executeQuery()) {
          while (result.next()) {
            addresses.put(result.getString(1), result.getString(2));
          }
        }
      }
    }
    return addresses;
  }
}
