package org.substra.node.orchestrator.organization;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.substra.node.orchestrator.protocol.Organization;
import org.substra.node.orchestrator.storage.Timestamps;
import org.substra.node.orchestrator.storage.Tx;

@ApplicationScoped
public class OrganizationRepository {

  public Uni<Boolean> exists(Tx tx, String id) {
    return tx.connection()
        .preparedQuery("SELECT 1 FROM organizations WHERE id = $1 AND channel = $2")
        .execute(Tuple.of(id, tx.channel()))
        .map(rows -> rows.size() > 0);
  }

  public Uni<Void> insert(Tx tx, Organization organization) {
    return tx.connection()
        .preparedQuery(
            "INSERT INTO organizations (id, channel, address, creation_date) VALUES ($1, $2, $3, $4)")
        .execute(Tuple.of(organization.getId(), tx.channel(), organization.getAddress(), tx.now()))
        .replaceWithVoid();
  }

  /** The ids of the channel's organizations. */
  public Uni<Set<String>> ids(Tx tx) {
    return tx.connection()
        .preparedQuery("SELECT id FROM organizations WHERE channel = $1")
        .execute(Tuple.of(tx.channel()))
        .map(
            rows -> {
              Set<String> ids = new HashSet<>();
              rows.forEach(row -> ids.add(row.getString(0)));
              return ids;
            });
  }

  public Uni<List<Organization>> all(Tx tx) {
    return tx.connection()
        .preparedQuery(
            "SELECT id, address, creation_date FROM organizations WHERE channel = $1 ORDER BY id")
        .execute(Tuple.of(tx.channel()))
        .map(
            rows -> {
              List<Organization> organizations = new ArrayList<>();
              for (Row row : rows) {
                organizations.add(
                    Organization.newBuilder()
                        .setId(row.getString("id"))
                        .setAddress(row.getString("address"))
                        .setCreationDate(Timestamps.of(row.getOffsetDateTime("creation_date")))
                        .build());
              }
              return organizations;
            });
  }
}
