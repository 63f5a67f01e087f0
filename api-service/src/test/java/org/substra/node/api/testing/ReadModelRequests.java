package org.substra.node.api.testing;

import static io.restassured.RestAssured.given;

import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.substra.node.api.auth.AuthenticationTest;

/**
 * Base of the tests of read endpoints: the read model holds exactly the rows a test writes, the way
 * event-service would, and requests go out as the logged-in test user.
 */
public abstract class ReadModelRequests {

  @Inject protected Pool pool;

  @ConfigProperty(name = "quarkus.datasource.jdbc.url")
  String jdbcUrl;

  private String token;

  /** Migrates the read model, runs {@code sql} (which clears what it replaces), logs in. */
  protected void givenReadModel(String sql) {
    ReadModelFixture.migrate(jdbcUrl);
    ReadModelFixture.execute(pool, sql);
    token = AuthenticationTest.login().getString("token");
  }

  protected String jdbcUrl() {
    return jdbcUrl;
  }

  /** A new request each time: a RestAssured specification keeps the query of its last call. */
  protected RequestSpecification user() {
    return given().header("Authorization", "Token " + token);
  }
}
