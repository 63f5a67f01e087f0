package org.substra.node.api.oidc;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.anEmptyMap;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.substra.node.testing.Dependency;
import org.substra.node.testing.WithLocalDependencies;

/** Without {@code api.oidc.enabled} (the default) there is no OIDC login at all. */
@QuarkusTest
@WithLocalDependencies({Dependency.POSTGRESQL, Dependency.OBJECT_STORAGE, Dependency.ORCHESTRATOR})
class OidcDisabledTest {

  @Test
  void theRoutesAreNotFoundAndInfoAdvertisesNothing() {
    for (String route : new String[] {"/oidc/authenticate/", "/oidc/callback/"}) {
      given()
          .redirects()
          .follow(false)
          .queryParam("next", "/")
          .get(route)
          .then()
          .statusCode(404)
          .body("detail", equalTo("Not found."));
    }
    given().get("/info/").then().statusCode(200).body("auth", anEmptyMap());
  }
}
