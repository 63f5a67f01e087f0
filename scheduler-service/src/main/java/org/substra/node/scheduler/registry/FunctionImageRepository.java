package org.substra.node.scheduler.registry;

import io.agroal.api.AgroalDataSource;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

/**
 * Which function images the read model still needs. An image is tagged {@code function-} + the
 * first 16 hex characters of the archive checksum (worker-spec §4.2), so functions with one archive
 * share it: it is needed while any of them has a task not finished, or had any activity
 * (registration, task creation, task end) within the retention.
 */
@Singleton
public class FunctionImageRepository {

  private final AgroalDataSource dataSource;

  FunctionImageRepository(AgroalDataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** The image tags still needed. */
  public Set<String> neededTags(Duration retention) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select =
            connection.prepareStatement(
                "SELECT DISTINCT 'function-' || left(f.archive_checksum, 16)"
                    + " FROM read_model.functions f"
                    + " WHERE f.creation_date > now() - make_interval(secs => ?)"
                    + " OR EXISTS (SELECT 1 FROM read_model.compute_tasks t"
                    + "   WHERE t.function_key = f.key AND (t.status NOT IN"
                    + "   ('STATUS_DONE', 'STATUS_CANCELED', 'STATUS_FAILED')"
                    + "   OR greatest(t.creation_date, t.end_date) > now() - make_interval(secs => ?)))")) {
      double seconds = retention.toMillis() / 1000.0;
      select.setDouble(1, seconds);
      select.setDouble(2, seconds);
      Set<String> tags = new HashSet<>();
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          tags.add(rows.getString(1));
        }
      }
      return tags;
    }
  }
}
