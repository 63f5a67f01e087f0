package org.substra.node.orglink.accounts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;

/** Test helpers: the account folder and the tables the operator writes. */
public final class AccountsFixture {

  private AccountsFixture() {}

  /**
   * Empties the credential tables and creates api.users as api-service's migrations do (api-service
   * owns that table; in production it exists once api-service has started).
   */
  public static void reset(DataSource dataSource, Path accountsDir)
      throws SQLException, IOException {
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("create schema if not exists api");
      statement.execute(
          "create table if not exists api.users (id bigserial primary key, username varchar(150)"
              + " not null unique, password_hash varchar(100) not null, role varchar(16) not null"
              + " default 'ADMIN', created_at timestamptz not null default now(), channel"
              + " varchar(100))");
      statement.execute(
          "truncate api.users, org_link.incoming_organizations, org_link.outgoing_organizations,"
              + " org_link.managed_users");
    }
    Files.createDirectories(accountsDir);
    try (var files = Files.list(accountsDir)) {
      for (Path file : files.toList()) {
        Files.delete(file);
      }
    }
  }

  public static void write(Path accountsDir, String file, String content) throws IOException {
    Files.writeString(accountsDir.resolve(file), content);
  }

  /** Rows of a two-column query as a map. */
  public static Map<String, String> query(DataSource dataSource, String sql) throws SQLException {
    Map<String, String> rows = new HashMap<>();
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      while (result.next()) {
        rows.put(result.getString(1), result.getString(2));
      }
    }
    return rows;
  }

  public static void execute(DataSource dataSource, String sql) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }
}
