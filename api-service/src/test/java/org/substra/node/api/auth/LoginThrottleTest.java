package org.substra.node.api.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.substra.node.testing.Dependency;
import org.substra.node.testing.WithLocalDependencies;

/** Password guessing is slowed down: logins per address and minute are limited (§2.2). */
@QuarkusTest
@TestProfile(LoginThrottleTest.ThreeLogins.class)
@WithLocalDependencies({Dependency.POSTGRESQL, Dependency.OBJECT_STORAGE, Dependency.ORCHESTRATOR})
class LoginThrottleTest {

  public static class ThreeLogins implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("api.tokens.logins-per-minute", "3");
    }
  }

  @Test
  void theFourthAttemptInAMinuteIsThrottledOnBothLogins() {
    for (int i = 0; i < 3; i++) {
      attempt().then().statusCode(400);
    }
    attempt()
        .then()
        .statusCode(429)
        .header("Retry-After", notNullValue())
        .body(
            "detail", matchesPattern("Request was throttled. Expected available in \\d+ seconds."));
    // The web frontend's login draws on the same budget: it is no way around the limit.
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("username", "test-admin", "password", "guess"))
        .post("/me/login/")
        .then()
        .statusCode(429)
        .header("Retry-After", notNullValue());
  }

  private static io.restassured.response.Response attempt() {
    return given()
        .contentType(ContentType.URLENC)
        .formParam("username", "test-admin")
        .formParam("password", "guess")
        .post("/api-token-auth/");
  }
}
