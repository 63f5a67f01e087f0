package org.substra.node.api.testing;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;

/** The OIDC identities of users, read and aged straight in the database. */
public final class OidcIdentities {

  private static final Duration WAIT = Duration.ofSeconds(10);

  private OidcIdentities() {}

  public static Row of(Pool pool, String username) {
    return pool.preparedQuery(
            "SELECT o.* FROM api.oidc_identities o JOIN api.users u ON u.id = o.user_id"
                + " WHERE u.username = $1")
        .execute(Tuple.of(username))
        .await()
        .atMost(WAIT)
        .iterator()
        .next();
  }

  /** The user's login at the provider as if it were two hours old. */
  public static void lapse(Pool pool, String username) {
    pool.preparedQuery(
            "UPDATE api.oidc_identities SET last_login_at = now() - interval '2 hours'"
                + " WHERE user_id = (SELECT id FROM api.users WHERE username = $1)")
        .execute(Tuple.of(username))
        .await()
        .atMost(WAIT);
  }
}
