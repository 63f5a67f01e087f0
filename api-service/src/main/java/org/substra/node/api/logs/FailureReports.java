package org.substra.node.api.logs;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/** Failure reports as event-service projects them ({@code read_model.failure_reports}). */
@ApplicationScoped
public class FailureReports {

  /** The report of a failed task or function build. */
  public record FailureReport(
      String assetKey, String errorType, String logsAddress, String owner) {}

  private final Pool pool;

  FailureReports(Pool pool) {
    this.pool = pool;
  }

  /** The report on {@code assetKey} in {@code channel}, or null. */
  public Uni<FailureReport> find(String channel, String assetKey) {
    return pool.preparedQuery(
            "SELECT asset_key, error_type, logs_address, owner FROM read_model.failure_reports"
                + " WHERE channel = $1 AND asset_key = $2")
        .execute(Tuple.of(channel, UUID.fromString(assetKey)))
        .map(
            rows -> {
              if (rows.size() == 0) {
                return null;
              }
              Row row = rows.iterator().next();
              return new FailureReport(
                  row.getUUID("asset_key").toString(),
                  row.getString("error_type"),
                  row.getString("logs_address"),
                  row.getString("owner"));
            });
  }
}
