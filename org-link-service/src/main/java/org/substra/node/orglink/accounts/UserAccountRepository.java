package org.substra.node.orglink.accounts;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The SQL on api-service's users ({@code api.users}, bcrypt hashes, owned and migrated by
 * api-service) and on {@code org_link.managed_users}, the users this operator created.
 */
@ApplicationScoped
public class UserAccountRepository {

  /** A row of api.users, as far as the operator cares. */
  public record UserRow(String username, String passwordHash, String channel) {}

  /** api-service creates the table; until it has run once there is nowhere to put users. */
  public boolean usersTableExists(Connection connection) throws SQLException {
    try (PreparedStatement statement =
            connection.prepareStatement("select to_regclass('api.users') is not null");
        ResultSet result = statement.executeQuery()) {
      return result.next() && result.getBoolean(1);
    }
  }

  /** The bcrypt hash of an ADMIN user of api-service, or null. */
  public String adminPasswordHash(Connection connection, String username) throws SQLException {
    if (!usersTableExists(connection)) {
      return null;
    }
    try (PreparedStatement statement =
        connection.prepareStatement(
            "select password_hash from api.users where username = ? and role = 'ADMIN'")) {
      statement.setString(1, username);
      try (ResultSet result = statement.executeQuery()) {
        return result.next() ? result.getString(1) : null;
      }
    }
  }

  public Map<String, UserRow> users(Connection connection) throws SQLException {
    Map<String, UserRow> rows = new HashMap<>();
    try (PreparedStatement statement =
            connection.prepareStatement("select username, password_hash, channel from api.users");
        ResultSet result = statement.executeQuery()) {
      while (result.next()) {
        rows.put(
            result.getString(1),
            new UserRow(result.getString(1), result.getString(2), result.getString(3)));
      }
    }
    return rows;
  }

  public Set<String> managed(Connection connection) throws SQLException {
    Set<String> names = new HashSet<>();
    try (PreparedStatement statement =
            connection.prepareStatement("select username from org_link.managed_users");
        ResultSet result = statement.executeQuery()) {
      while (result.next()) {
        names.add(result.getString(1));
      }
    }
    return names;
  }

  public void insert(Connection connection, UserRow user) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "insert into api.users (username, password_hash, channel, role) values (?, ?, ?,"
                + " 'ADMIN')")) {
      statement.setString(1, user.username());
      statement.setString(2, user.passwordHash());
      statement.setString(3, user.channel());
      statement.executeUpdate();
    }
  }

  public void update(Connection connection, UserRow user) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "update api.users set password_hash = ?, channel = ? where username = ?")) {
      statement.setString(1, user.passwordHash());
      statement.setString(2, user.channel());
      statement.setString(3, user.username());
      statement.executeUpdate();
    }
  }

  public void delete(Connection connection, String username) throws SQLException {
    // api.tokens rows go with the user (on delete cascade).
    try (PreparedStatement statement =
        connection.prepareStatement("delete from api.users where username = ?")) {
      statement.setString(1, username);
      statement.executeUpdate();
    }
    unmark(connection, username);
  }

  public void markManaged(Connection connection, String username) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "insert into org_link.managed_users (username) values (?) on conflict do nothing")) {
      statement.setString(1, username);
      statement.executeUpdate();
    }
  }

  public void unmark(Connection connection, String username) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement("delete from org_link.managed_users where username = ?")) {
      statement.setString(1, username);
      statement.executeUpdate();
    }
  }
}
