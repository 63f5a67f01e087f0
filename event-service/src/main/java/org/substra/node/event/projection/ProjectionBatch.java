package org.substra.node.event.projection;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one projection transaction keeps in memory so that a batch of events costs a few round
 * trips, not a few per event: the compute plans and tasks it touched (read once, written once at
 * the end) and the writes nothing reads back before commit, sent as JDBC batches.
 */
public final class ProjectionBatch {

  final Map<String, PlanRepository.PlanRow> plans = new LinkedHashMap<>();
  final Map<String, TaskRepository.TaskRow> tasks = new LinkedHashMap<>();
  private final Map<Stage, Map<String, PreparedStatement>> deferred =
      new java.util.EnumMap<>(Stage.class);

  /** When deferred writes run, in this order: what a write depends on runs in an earlier stage. */
  public enum Stage {
    TASKS,
    ASSETS,
    ASSET_LINKS,
    ASSET_UPDATES,
    WORK
  }

  /**
   * The batched statement for {@code sql}; the caller sets its parameters and adds it. It runs in
   * its stage, with the rows of one statement in the order they were added.
   */
  public PreparedStatement defer(Connection db, Stage stage, String sql) throws SQLException {
    Map<String, PreparedStatement> statements =
        deferred.computeIfAbsent(stage, ignored -> new LinkedHashMap<>());
    PreparedStatement statement = statements.get(sql);
    if (statement == null) {
      statement = db.prepareStatement(sql);
      statements.put(sql, statement);
    }
    return statement;
  }

  /** Runs the deferred statements. */
  void flushDeferred() throws SQLException {
    try {
      for (Map<String, PreparedStatement> statements : deferred.values()) {
        for (PreparedStatement statement : statements.values()) {
          statement.executeBatch();
        }
      }
    } finally {
      for (Map<String, PreparedStatement> statements : deferred.values()) {
        for (PreparedStatement statement : statements.values()) {
          statement.close();
        }
      }
      deferred.clear();
    }
  }
}
