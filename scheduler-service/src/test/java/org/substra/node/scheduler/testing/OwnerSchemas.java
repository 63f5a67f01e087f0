package org.substra.node.scheduler.testing;

import io.agroal.api.AgroalDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import org.flywaydb.core.Flyway;

/**
 * The schemas other services own in the node's database ({@code api} of api-service, {@code
 * read_model} of event-service), created in the test database by those services' own migrations, so
 * the jobs are tested against the real tables.
 */
public final class OwnerSchemas {

  private OwnerSchemas() {}

  public static void migrate(AgroalDataSource dataSource) {
    migrate(dataSource, "api-service", "api");
    migrate(dataSource, "event-service", "read_model");
  }

  private static void migrate(AgroalDataSource dataSource, String module, String schema) {
    Flyway.configure()
        .dataSource(dataSource)
        .locations("filesystem:" + locate(module + "/src/main/resources/db/migration"))
        .schemas(schema)
        .defaultSchema(schema)
        .load()
        .migrate();
  }

  private static Path locate(String relative) {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve(relative);
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException(relative + " not found above " + Path.of("").toAbsolutePath());
  }
}
