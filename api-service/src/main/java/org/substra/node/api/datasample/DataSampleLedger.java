package org.substra.node.api.datasample;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** What registrations of data samples need to know from the read model. */
@ApplicationScoped
public class DataSampleLedger {

  private final Pool pool;

  DataSampleLedger(Pool pool) {
    this.pool = pool;
  }

  /** Those of {@code keys} that are data managers of {@code owner} in {@code channel}. */
  public Uni<Set<String>> managersOf(String channel, String owner, List<String> keys) {
    return pool.preparedQuery(
            "SELECT key FROM read_model.data_managers"
                + " WHERE channel = $1 AND owner = $2 AND key = ANY($3)")
        .execute(Tuple.of(channel, owner, uuids(keys)))
        .map(
            rows -> {
              Set<String> found = new HashSet<>();
              for (Row row : rows) {
                found.add(row.getUUID("key").toString());
              }
              return found;
            });
  }

  /** The creation dates of the samples among {@code keys} the read model already shows. */
  public Uni<Map<String, OffsetDateTime>> created(List<String> keys) {
    return pool.preparedQuery(
            "SELECT key, creation_date FROM read_model.data_samples WHERE key = ANY($1)")
        .execute(Tuple.of(uuids(keys)))
        .map(
            rows -> {
              Map<String, OffsetDateTime> created = new HashMap<>();
              for (Row row : rows) {
                created.put(row.getUUID("key").toString(), row.getOffsetDateTime("creation_date"));
              }
              return created;
            });
  }

  /** How many of the links samples × managers the read model shows. */
  public Uni<Long> links(List<String> samples, List<String> managers) {
    return pool.preparedQuery(
            "SELECT count(*) FROM read_model.data_sample_data_managers"
                + " WHERE data_sample_key = ANY($1) AND data_manager_key = ANY($2)")
        .execute(Tuple.of(uuids(samples), uuids(managers)))
        .map(rows -> rows.iterator().next().getLong(0));
  }

  /** Keys the caller has already checked to be UUIDs. */
  private static UUID[] uuids(List<String> keys) {
    return keys.stream().map(UUID::fromString).toArray(UUID[]::new);
  }
}
