package org.substra.node.api.orglink;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Function;

/**
 * Reads the organization credentials org-link-service keeps in schema {@code org_link} of the node
 * database (read-only here: org-link-service's account operator is their only writer).
 */
@ApplicationScoped
public class OrganizationCredentials {

  /** An incoming organization: its secret hash and, when set, the only channel it may read. */
  public record Incoming(String organizationId, String secretHash, String channel) {}

  /** An outgoing organization: the secret to send and an address overriding the orchestrator's. */
  public record Outgoing(String organizationId, String secret, String address) {}

  private final Pool pool;

  OrganizationCredentials(Pool pool) {
    this.pool = pool;
  }

  /**
   * The incoming organization, or null (also while org-link-service has not created its tables).
   */
  public Uni<Incoming> incoming(String organizationId) {
    return one(
        "select organization_id, secret_hash, channel from org_link.incoming_organizations"
            + " where organization_id = $1",
        organizationId,
        row ->
            new Incoming(
                row.getString("organization_id"),
                row.getString("secret_hash"),
                row.getString("channel")));
  }

  /** The outgoing organization, or null. */
  public Uni<Outgoing> outgoing(String organizationId) {
    return one(
        "select organization_id, secret, address from org_link.outgoing_organizations"
            + " where organization_id = $1",
        organizationId,
        row ->
            new Outgoing(
                row.getString("organization_id"),
                row.getString("secret"),
                row.getString("address")));
  }

  private <T> Uni<T> one(String query, String organizationId, Function<Row, T> mapping) {
    return pool.preparedQuery(query)
        .execute(Tuple.of(organizationId))
        .map(rows -> rows.iterator().hasNext() ? mapping.apply(rows.iterator().next()) : null)
        .onFailure(OrganizationCredentials::missingTable)
        .recoverWithNull();
  }

  private static boolean missingTable(Throwable failure) {
    // 42P01: undefined_table, before org-link-service's first migration.
    return failure instanceof io.vertx.pgclient.PgException pg && "42P01".equals(pg.getSqlState());
  }
}
