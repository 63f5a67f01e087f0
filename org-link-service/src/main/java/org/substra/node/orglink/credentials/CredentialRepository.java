package org.substra.node.orglink.credentials;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The SQL of schema {@code org_link}. Methods take the caller's connection so that one account sync
 * is one transaction.
 */
@ApplicationScoped
public class CredentialRepository {

  public Map<String, IncomingOrganization> incoming(Connection connection) throws SQLException {
    Map<String, IncomingOrganization> rows = new LinkedHashMap<>();
    try (PreparedStatement statement =
            connection.prepareStatement(
                "select organization_id, secret_hash, channel from org_link.incoming_organizations"
                    + " order by organization_id");
        ResultSet result = statement.executeQuery()) {
      while (result.next()) {
        rows.put(
            result.getString(1),
            new IncomingOrganization(
                result.getString(1), result.getString(2), result.getString(3)));
      }
    }
    return rows;
  }

  public Map<String, OutgoingOrganization> outgoing(Connection connection) throws SQLException {
    Map<String, OutgoingOrganization> rows = new LinkedHashMap<>();
    try (PreparedStatement statement =
            connection.prepareStatement(
                "select organization_id, secret, address from org_link.outgoing_organizations"
                    + " order by organization_id");
        ResultSet result = statement.executeQuery()) {
      while (result.next()) {
        rows.put(
            result.getString(1),
            new OutgoingOrganization(
                result.getString(1), result.getString(2), result.getString(3)));
      }
    }
    return rows;
  }

  public void upsertIncoming(Connection connection, IncomingOrganization row) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "insert into org_link.incoming_organizations (organization_id, secret_hash, channel)"
                + " values (?, ?, ?) on conflict (organization_id) do update set secret_hash ="
                + " excluded.secret_hash, channel = excluded.channel, updated_at = now()")) {
      statement.setString(1, row.organizationId());
      statement.setString(2, row.secretHash());
      statement.setString(3, row.channel());
      statement.executeUpdate();
    }
  }

  public void upsertOutgoing(Connection connection, OutgoingOrganization row) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "insert into org_link.outgoing_organizations (organization_id, secret, address)"
                + " values (?, ?, ?) on conflict (organization_id) do update set secret ="
                + " excluded.secret, address = excluded.address, updated_at = now()")) {
      statement.setString(1, row.organizationId());
      statement.setString(2, row.secret());
      statement.setString(3, row.address());
      statement.executeUpdate();
    }
  }

  public void deleteIncoming(Connection connection, String organizationId) throws SQLException {
    delete(
        connection,
        "delete from org_link.incoming_organizations where organization_id = ?",
        organizationId);
  }

  public void deleteOutgoing(Connection connection, String organizationId) throws SQLException {
    delete(
        connection,
        "delete from org_link.outgoing_organizations where organization_id = ?",
        organizationId);
  }

  static void delete(Connection connection, String sql, String key) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, key);
      statement.executeUpdate();
    }
  }
}
