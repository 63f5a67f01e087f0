package org.substra.node.api.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;
import org.substra.node.testing.Dependency;
import org.substra.node.testing.OrchestratorHealthEndpoint;
import org.substra.node.testing.WithLocalDependencies;

/** Login, tokens and /info/ as the Substra SDK uses them (REST spec §2, §4.1), over HTTP. */
@QuarkusTest
@WithLocalDependencies({Dependency.POSTGRESQL, Dependency.OBJECT_STORAGE, Dependency.ORCHESTRATOR})
public class AuthenticationTest {

  public static JsonPath login() {
    return login("test-admin", "test-password");
  }

  /** The token of a user's login. */
  public static String token(String username, String password) {
    return login(username, password).getString("token");
  }

  /** The SDK's login of a user: the answer of {@code POST /api-token-auth/}, 200. */
  public static JsonPath login(String username, String password) {
    return given()
        .accept("application/json;version=0.0")
        .contentType(ContentType.URLENC)
        .formParam("username", username)
        .formParam("password", password)
        .post("/api-token-auth/")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  @Test
  void theSdkLoginGivesAnExpiringTokenThatOpensInfo() {
    JsonPath token = login();

    OffsetDateTime created = OffsetDateTime.parse(token.getString("created_at"));
    OffsetDateTime expires = OffsetDateTime.parse(token.getString("expires_at"));
    assertEquals(Duration.ofHours(24), Duration.between(created, expires));
    given()
        .header("Authorization", "Token " + token.getString("token"))
        .accept("application/json;version=0.0")
        .get("/info/")
        .then()
        .statusCode(200)
        .body("host", equalTo("http://localhost:8000"))
        .body("organization_id", equalTo("MyOrg1MSP"))
        .body("organization_name", equalTo("org-1"))
        .body("channel", equalTo("mychannel"))
        .body("config.model_export_enabled", equalTo(false))
        .body("version", equalTo("dev"))
        .body("orchestrator_version", equalTo(OrchestratorHealthEndpoint.VERSION))
        .body("user", equalTo("test-admin"))
        .body("user_role", equalTo("ADMIN"));
    assertEquals("MyOrg1MSP", OrchestratorHealthEndpoint.lastMspid());
    assertEquals("mychannel", OrchestratorHealthEndpoint.lastChannel());
    assertEquals(40, token.getString("token").length());
  }

  @Test
  void anonymousInfoTellsOnlyWhoTheNodeIs() {
    given()
        .get("/info/")
        .then()
        .statusCode(200)
        .body("organization_id", equalTo("MyOrg1MSP"))
        .body("config", equalTo(java.util.Map.of()))
        .body("$", not(hasKey("channel")))
        .body("$", not(hasKey("orchestrator_version")));
  }

  @Test
  void badCredentialsAreRefusedTheWayTheSdkExpects() {
    given()
        .contentType(ContentType.URLENC)
        .formParam("username", "test-admin")
        .formParam("password", "wrong")
        .post("/api-token-auth/")
        .then()
        .statusCode(400)
        .body("non_field_errors[0]", equalTo("Unable to log in with provided credentials."));
    given()
        .contentType(ContentType.URLENC)
        .formParam("password", "test-password")
        .post("/api-token-auth/")
        .then()
        .statusCode(400)
        .body("username[0]", equalTo("This field is required."));
    given()
        .contentType(ContentType.JSON)
        .body("{\"username\": \"test-admin\",")
        .post("/api-token-auth/")
        .then()
        .statusCode(400)
        .body("detail", matchesPattern("JSON parse error.*"));
  }

  @Test
  void badTokensAreRefusedEvenWhereAuthenticationIsOptional() {
    refused("Token 0123456789abcdef0123456789abcdef01234567", "Invalid token.");
    refused("Token", "Invalid token header. No credentials provided.");
    refused("Token a b", "Invalid token header. Token string should not contain spaces.");
    given()
        .get("/active-api-tokens/")
        .then()
        .statusCode(401)
        .header("WWW-Authenticate", "Token")
        .body("detail", equalTo("Authentication credentials were not provided."));
  }

  @Test
  void bothKeywordsWorkAndExpiredTokensAreRefused() {
    String key = login().getString("token");
    given().header("Authorization", "Bearer " + key).get("/info/").then().statusCode(200);
    given().header("Authorization", "token " + key).get("/info/").then().statusCode(200);

    String expired =
        given()
            .header("Authorization", "Token " + key)
            .contentType(ContentType.JSON)
            .body("{\"note\": \"old\", \"expires_at\": \"2020-01-01T00:00:00Z\"}")
            .post("/api-token/")
            .then()
            .statusCode(200)
            .body("note", equalTo("old"))
            .extract()
            .path("token");
    refused("Token " + expired, "The token is expired");
  }

  @Test
  void logoutRevokesOnlyTheCallersToken() {
    JsonPath token = login();
    String header = "Token " + token.getString("token");

    given()
        .header("Authorization", header)
        .get("/active-api-tokens/")
        .then()
        .statusCode(200)
        .body("implicit_tokens.id", org.hamcrest.Matchers.hasItem(token.getString("id")))
        .body("implicit_tokens[0]", not(hasKey("token")));
    given()
        .header("Authorization", header)
        .delete("/active-api-tokens/?id=not-a-uuid")
        .then()
        .statusCode(404)
        .body("detail", equalTo("Token not found"));
    given()
        .header("Authorization", header)
        .delete("/active-api-tokens/?id=" + token.getString("id"))
        .then()
        .statusCode(200)
        .body("detail", equalTo("Token removed"));
    refused(header, "Invalid token.");
  }

  private static void refused(String authorization, String detail) {
    given()
        .header("Authorization", authorization)
        .get("/info/")
        .then()
        .statusCode(401)
        .header("WWW-Authenticate", "Token")
        .body("detail", equalTo(detail));
  }
}
