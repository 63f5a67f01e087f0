package org.substra.node.event.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/** Reads the read model the way api-service will: plain SQL on schema read_model. */
public final class ReadModel {

  private final DataSource dataSource;

  public ReadModel(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  public List<Map<String, Object>> rows(String sql, Object... parameters) {
    try (Connection db = dataSource.getConnection();
        PreparedStatement statement = db.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        statement.setObject(i + 1, parameters[i]);
      }
      List<Map<String, Object>> rows = new ArrayList<>();
      try (ResultSet result = statement.executeQuery()) {
        ResultSetMetaData columns = result.getMetaData();
        while (result.next()) {
          Map<String, Object> row = new LinkedHashMap<>();
          for (int c = 1; c <= columns.getColumnCount(); c++) {
            Object value = result.getObject(c);
            if (value instanceof java.sql.Timestamp) {
              value = result.getObject(c, java.time.OffsetDateTime.class);
            } else if (value instanceof java.sql.Array array) {
              value = List.of((Object[]) array.getArray());
            } else if (value != null && value.getClass().getName().endsWith("PGobject")) {
              value = value.toString();
            }
            row.put(columns.getColumnLabel(c), value);
          }
          rows.add(row);
        }
      }
      return rows;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The single row {@code sql} selects, or null. */
  public Map<String, Object> row(String sql, Object... parameters) {
    List<Map<String, Object>> rows = rows(sql, parameters);
    if (rows.size() > 1) {
      throw new IllegalStateException(rows.size() + " rows for " + sql);
    }
    return rows.isEmpty() ? null : rows.get(0);
  }

  public Object value(String sql, Object... parameters) {
    Map<String, Object> row = row(sql, parameters);
    return row == null ? null : row.values().iterator().next();
  }
}
