package org.substra.node.api.user;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.substra.node.api.auth.AuthenticationTest;
import org.substra.node.testing.Dependency;
import org.substra.node.testing.WithLocalDependencies;

/**
 * Password resets (§2.9): an admin gets a token, the user sets a password with it, anonymously,
 * once.
 */
@QuarkusTest
@WithLocalDependencies({Dependency.POSTGRESQL, Dependency.OBJECT_STORAGE, Dependency.ORCHESTRATOR})
class PasswordResetTest {

  @Inject Pool pool;

  private static RequestSpecification as(String token) {
    return given().header("Authorization", "Token " + token).contentType(ContentType.JSON);
  }

  static int loginStatus(String username, String password) {
    return given()
        .contentType(ContentType.URLENC)
        .formParam("username", username)
        .formParam("password", password)
        .post("/api-token-auth/")
        .statusCode();
  }

  static String newUser(String admin, String role) {
    String username = "user-" + UUID.randomUUID().toString().substring(0, 8);
    as(admin)
        .body(Map.of("username", username, "password", "password123", "role", role))
        .post("/users/")
        .then()
        .statusCode(201);
    return username;
  }

  private static String reset(String admin, String username) {
    return as(admin)
        .post("/users/" + username + "/reset_password/")
        .then()
        .statusCode(200)
        .body("reset_password_token", matchesPattern("[A-Za-z0-9_-]{43}"))
        .extract()
        .path("reset_password_token");
  }

  private static io.restassured.response.Response setPassword(
      String username, String token, String password) {
    return given()
        .contentType(ContentType.JSON)
        .body(Map.of("token", token, "password", password))
        .post("/users/" + username + "/set_password/");
  }

  private static io.restassured.response.Response verify(String username, String token) {
    return given().queryParam("token", token).get("/users/" + username + "/verify_token/");
  }

  @Test
  void aResetTokenSetsThePasswordOnce() {
    String admin = AuthenticationTest.login().getString("token");
    String bob = newUser(admin, "USER");
    String token = reset(admin, bob);

    verify(bob, token).then().statusCode(200).body(equalTo("{}"));
    verify(bob, token + "x").then().statusCode(401).body("detail", equalTo("Token not valid."));
    verify("test-admin", token).then().statusCode(401);
    given().get("/users/" + bob + "/verify_token/").then().statusCode(401);

    // A refused password leaves the token usable.
    setPassword(bob, token, "short")
        .then()
        .statusCode(400)
        .body("password[0]", equalTo("A password of at least 8 characters is required."));
    setPassword(bob, token, "reset-password-1")
        .then()
        .statusCode(200)
        .body("username", equalTo(bob))
        .body("role", equalTo("USER"));
    AuthenticationTest.token(bob, "reset-password-1");
    org.junit.jupiter.api.Assertions.assertEquals(400, loginStatus(bob, "password123"));

    setPassword(bob, token, "reset-password-2").then().statusCode(401);
    verify(bob, token).then().statusCode(401);
  }

  @Test
  void onlyTheLatestUnexpiredTokenWorks() {
    String admin = AuthenticationTest.login().getString("token");
    String carol = newUser(admin, "USER");
    String first = reset(admin, carol);
    String second = reset(admin, carol);
    verify(carol, first).then().statusCode(401);
    verify(carol, second).then().statusCode(200);

    pool.preparedQuery(
            "UPDATE api.password_resets SET expires_at = now() - interval '1 second'"
                + " WHERE user_id = (SELECT id FROM api.users WHERE username = $1)")
        .execute(Tuple.of(carol))
        .await()
        .atMost(Duration.ofSeconds(10));
    verify(carol, second).then().statusCode(401);
    setPassword(carol, second, "reset-password-1").then().statusCode(401);
  }

  @Test
  void changingOnesPasswordVoidsAnOutstandingReset() {
    String admin = AuthenticationTest.login().getString("token");
    String dave = newUser(admin, "USER");
    String token = reset(admin, dave);
    as(AuthenticationTest.token(dave, "password123"))
        .body(Map.of("password", "chosen-password"))
        .put("/users/" + dave + "/password/")
        .then()
        .statusCode(200);
    verify(dave, token).then().statusCode(401);
  }

  @Test
  void onlyAdminsResetAndBadRequestsAreClearlyRefused() {
    String admin = AuthenticationTest.login().getString("token");
    String erin = newUser(admin, "USER");

    given().post("/users/" + erin + "/reset_password/").then().statusCode(401);
    as(AuthenticationTest.token(erin, "password123"))
        .post("/users/" + erin + "/reset_password/")
        .then()
        .statusCode(403)
        .body("detail", equalTo("You do not have permission to perform this action."));
    as(admin)
        .post("/users/nobody-" + UUID.randomUUID() + "/reset_password/")
        .then()
        .statusCode(404);

    given()
        .contentType(ContentType.JSON)
        .body("{\"token\": ")
        .post("/users/" + erin + "/set_password/")
        .then()
        .statusCode(400)
        .body("detail", matchesPattern("Malformed JSON.*"));
    given()
        .contentType(ContentType.JSON)
        .body("{\"token\": 12, \"password\": \"whatever-1\"}")
        .post("/users/" + erin + "/set_password/")
        .then()
        .statusCode(400)
        .body("token[0]", equalTo("Expected a string."));
    given()
        .contentType(ContentType.JSON)
        .body("{\"password\": \"whatever-1\"}")
        .post("/users/" + erin + "/set_password/")
        .then()
        .statusCode(401);
    setPassword("nobody-" + UUID.randomUUID(), "token", "whatever-1").then().statusCode(401);
  }
}
