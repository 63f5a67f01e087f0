package org.substra.node.api.organization;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.substra.node.api.auth.AuthenticationTest;
import org.substra.node.api.testing.ReadModelFixture;
import org.substra.node.testing.Dependency;
import org.substra.node.testing.WithLocalDependencies;

/**
 * {@code GET /organization/} serves event-service's read model: its schema comes from
 * event-service's own migrations, its rows are written here as event-service would.
 */
@QuarkusTest
@WithLocalDependencies({Dependency.POSTGRESQL, Dependency.OBJECT_STORAGE, Dependency.ORCHESTRATOR})
class OrganizationListTest {

  @Inject Pool pool;

  @ConfigProperty(name = "quarkus.datasource.jdbc.url")
  String jdbcUrl;

  @BeforeEach
  void readModel() {
    ReadModelFixture.migrate(jdbcUrl);
    ReadModelFixture.execute(
        pool,
        "DELETE FROM read_model.organizations;"
            + " INSERT INTO read_model.organizations (channel, id, address, creation_date)"
            + " VALUES ('mychannel', 'MyOrg2MSP', 'http://org-2:8000', '2024-03-01T09:15:02Z'),"
            + " ('mychannel', 'MyOrg1MSP', 'http://org-1:8000', '2024-03-01T09:15:01.5Z'),"
            + " ('yourchannel', 'MyOrg3MSP', 'http://org-3:8000', now())");
  }

  @Test
  void theCallersChannelOrganizationsAsABareArray() {
    String token = AuthenticationTest.login().getString("token");

    given()
        .header("Authorization", "Token " + token)
        .get("/organization/")
        .then()
        .statusCode(200)
        .body("id", contains("MyOrg1MSP", "MyOrg2MSP"))
        .body("is_current", contains(true, false))
        .body("[0].creation_date", equalTo("2024-03-01T09:15:01.500000Z"))
        .body("[1].address", equalTo("http://org-2:8000"));
    given().get("/organization/").then().statusCode(401);
  }
}
