package org.substra.node.api.root;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.substra.node.api.auth.AuthenticationTest;
import org.substra.node.api.testing.ReadModelFixture;
import org.substra.node.testing.Dependency;
import org.substra.node.testing.WithLocalDependencies;

/** {@code GET /} and {@code GET /schema/} (REST spec §4.14), for authenticated users only. */
@QuarkusTest
@WithLocalDependencies({Dependency.POSTGRESQL, Dependency.OBJECT_STORAGE, Dependency.ORCHESTRATOR})
class ApiRootTest {

  @ConfigProperty(name = "quarkus.datasource.jdbc.url")
  String jdbcUrl;

  /** The collections read event-service's read model: it must exist for them to answer. */
  @BeforeEach
  void readModel() {
    ReadModelFixture.migrate(jdbcUrl);
  }

  private static RequestSpecification authenticated() {
    return given()
        .header("Authorization", "Token " + AuthenticationTest.login().getString("token"));
  }

  @Test
  void theRootListsCollectionsThatAnswer() {
    Map<String, String> routes =
        authenticated().get("/").then().statusCode(200).extract().jsonPath().getMap("$");

    assertThat(routes).containsKeys("function", "data_manager", "task", "users", "schema");
    RequestSpecification caller = authenticated();
    routes.forEach(
        (name, url) -> {
          assertThat(url).endsWith("/" + name + "/");
          int status = caller.get(url).statusCode();
          assertThat(status).as("GET %s", url).isNotIn(404, 405, 500);
        });
  }

  @Test
  void theSchemaIsTheOpenApiDocumentOfTheRoutes() {
    authenticated()
        .queryParam("format", "json")
        .get("/schema/")
        .then()
        .statusCode(200)
        .contentType(containsString("json"))
        .body("openapi", startsWith("3."))
        .body("paths", hasKey("/me/login/"))
        .body("paths", hasKey("/users/{username}/reset_password/"))
        .body("paths", hasKey("/function/"))
        .body("paths", hasKey("/function/{key}/"))
        .body("paths", hasKey("/liveness"))
        .body("paths", hasKey("/"));
    authenticated().get("/schema/").then().statusCode(200).body(startsWith("---\nopenapi: 3."));
    authenticated()
        .accept("application/json")
        .get("/schema/")
        .then()
        .statusCode(200)
        .body("openapi", startsWith("3."));
    authenticated()
        .queryParam("format", "xml")
        .get("/schema/")
        .then()
        .statusCode(400)
        .body("detail", equalTo("Unknown format: use json or yaml."));
  }

  @Test
  void swaggerUiShowsTheSchemaWithTheWebLogin() {
    String page =
        given()
            .redirects()
            .follow(true)
            .get("/schema/swagger-ui/")
            .then()
            .statusCode(200)
            .contentType(containsString("html"))
            .extract()
            .asString();
    assertThat(page)
        .contains("/schema/?format=json")
        .contains("header\\.payload=")
        .contains("'JWT ' + login[1]");
  }

  @Test
  void redocShowsTheSchemaWithTheWebLogin() {
    String page =
        given()
            .get("/schema/redoc/")
            .then()
            .statusCode(200)
            .contentType(containsString("text/html"))
            .extract()
            .asString();
    assertThat(page)
        .contains("redoc.standalone.js")
        .contains("fetch('../?format=json'")
        .contains("'JWT ' + login[1]");
  }

  @Test
  void anonymousCallersGetNeither() {
    given().get("/").then().statusCode(401);
    given().get("/schema/").then().statusCode(401);
    given().header("Authorization", "Token nope").get("/schema/").then().statusCode(401);
    // The extension's own endpoint would hand the document out without credentials.
    given().get("/q/openapi").then().statusCode(404);
  }
}
