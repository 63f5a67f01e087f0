package org.substra.node.api.testing;

import io.vertx.mutiny.sqlclient.Pool;
import java.time.Duration;
import org.flywaydb.core.Flyway;

/**
 * The read model as event-service creates it (its own migrations, schema {@code read_model}), for
 * tests that write rows the way event-service would and read them through the API.
 */
public final class ReadModelFixture {

  private ReadModelFixture() {}

  public static void migrate(String jdbcUrl) {
    Flyway.configure()
        .dataSource(jdbcUrl, "substra", "substra")
        .schemas("read_model")
        .defaultSchema("read_model")
        .locations("filesystem:../event-service/src/main/resources/db/migration")
        .load()
        .migrate();
  }

  public static void execute(Pool pool, String sql) {
    pool.query(sql).execute().await().atMost(Duration.ofSeconds(10));
  }
}
