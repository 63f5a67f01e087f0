package org.substra.node.api.auth;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;

/** {@code api.jwt_blacklist}: refresh tokens that were rotated or logged out. */
@ApplicationScoped
public class RefreshBlacklist {

  private final Pool pool;

  RefreshBlacklist(Pool pool) {
    this.pool = pool;
  }

  /**
   * Blacklists a refresh token; false when it already was. One statement, so that of two refreshes
   * racing with the same token only one wins. False too when the user was deleted meanwhile: the
   * token must not be used either way.
   */
  public Uni<Boolean> add(String jti, long userId, OffsetDateTime expires) {
    return pool.preparedQuery(
            "INSERT INTO api.jwt_blacklist (jti, user_id, expires_at) VALUES ($1, $2, $3)"
                + " ON CONFLICT (jti) DO NOTHING")
        .execute(Tuple.of(jti, userId, expires))
        .map(rows -> rows.rowCount() == 1)
        // 23503: foreign_key_violation, the user row went away after the token was checked.
        .onFailure(
            failure ->
                failure instanceof io.vertx.pgclient.PgException pg
                    && "23503".equals(pg.getSqlState()))
        .recoverWithItem(false);
  }

  /** Drops the entries of tokens that expired anyway. */
  public Uni<Void> purgeExpired(OffsetDateTime now) {
    return pool.preparedQuery("DELETE FROM api.jwt_blacklist WHERE expires_at <= $1")
        .execute(Tuple.of(now))
        .replaceWithVoid();
  }
}
