package org.substra.node.api.organization;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.substra.node.api.config.ApiConfig;
import org.substra.node.api.json.Dates;

/** Organizations as event-service projects them (schema {@code read_model}). */
@ApplicationScoped
public class OrganizationReadModel {

  private final Pool pool;
  private final String self;

  OrganizationReadModel(Pool pool, ApiConfig config) {
    this.pool = pool;
    this.self = config.organizationId();
  }

  public Uni<List<Map<String, Object>>> ofChannel(String channel) {
    return pool.preparedQuery(
            "SELECT id, address, creation_date FROM read_model.organizations"
                + " WHERE channel = $1 ORDER BY id")
        .execute(Tuple.of(channel))
        .map(
            rows -> {
              List<Map<String, Object>> organizations = new ArrayList<>();
              for (Row row : rows) {
                Map<String, Object> organization = new LinkedHashMap<>();
                organization.put("id", row.getString("id"));
                organization.put("address", row.getString("address"));
                organization.put(
                    "creation_date", Dates.format(row.getOffsetDateTime("creation_date")));
                organization.put("is_current", self.equals(row.getString("id")));
                organizations.add(organization);
              }
              return organizations;
            });
  }
}
