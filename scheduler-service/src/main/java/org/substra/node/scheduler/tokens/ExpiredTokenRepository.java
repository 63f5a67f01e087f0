package org.substra.node.scheduler.tokens;

import io.agroal.api.AgroalDataSource;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * api-service's {@code api.tokens} table. A token is expired when its {@code expires_at} is set and
 * not after now (api-service {@code Token.expired}); API tokens without expiry are never flushed.
 */
@Singleton
public class ExpiredTokenRepository {

  private final AgroalDataSource dataSource;

  ExpiredTokenRepository(AgroalDataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** Deletes the expired tokens; returns how many. */
  public int deleteExpired() throws SQLException {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement delete =
            connection.prepareStatement(
                "DELETE FROM api.tokens WHERE expires_at IS NOT NULL AND expires_at <= now()")) {
      return delete.executeUpdate();
    }
  }
}
