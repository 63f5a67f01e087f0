package org.substra.node.api.auth;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.substra.node.testing.Dependency;
import org.substra.node.testing.WithLocalDependencies;

/** The web frontend's JWT cookie login (REST spec §2.6), over HTTP. */
@QuarkusTest
@WithLocalDependencies({Dependency.POSTGRESQL, Dependency.OBJECT_STORAGE, Dependency.ORCHESTRATOR})
class JwtLoginTest {

  @Inject JwtCodec codec;
  @Inject RefreshBlacklist blacklist;

  @ConfigProperty(name = "api.jwt.secret")
  String secret;

  @ConfigProperty(name = "api.jwt.issuer")
  String issuer;

  @ConfigProperty(name = "api.jwt.audience")
  String audience;

  /** The three cookies of a JWT login or refresh. */
  record Session(String headerPayload, String signature, String refresh, Response response) {

    static Session of(Response response) {
      response.then().statusCode(200);
      return new Session(
          response.cookie("header.payload"),
          response.cookie("signature"),
          response.cookie("refresh"),
          response);
    }

    io.restassured.specification.RequestSpecification authenticated() {
      return given().header("Authorization", "JWT " + headerPayload).cookie("signature", signature);
    }

    String setCookie(String name) {
      List<String> headers = response.headers().getValues("Set-Cookie");
      return headers.stream()
          .filter(header -> header.startsWith(name + "="))
          .findFirst()
          .orElseThrow(() -> new AssertionError("no Set-Cookie " + name + " in " + headers));
    }
  }

  static Session login(String username, String password) {
    return Session.of(
        given()
            .contentType(ContentType.JSON)
            .body(Map.of("username", username, "password", password))
            .post("/me/login/"));
  }

  @Test
  void aLoginSetsTheSplitAccessTokenAndOpensTheApi() {
    Session session = login("test-admin", "test-password");

    Map<String, Object> claims = session.response().jsonPath().getMap("$");
    assertThat(claims)
        .containsOnlyKeys("token_type", "exp", "iat", "jti", "user_id", "iss", "aud")
        .containsEntry("iss", issuer)
        .containsEntry("aud", audience);
    assertThat(claims.get("token_type")).isEqualTo("access");
    assertThat(((Number) claims.get("exp")).longValue() - ((Number) claims.get("iat")).longValue())
        .isEqualTo(1440 * 60);
    assertThat(session.headerPayload().split("\\.")).hasSize(2);
    assertThat(session.setCookie("header.payload")).doesNotContainIgnoringCase("HttpOnly");
    assertThat(session.setCookie("signature")).containsIgnoringCase("HttpOnly");
    assertThat(session.setCookie("refresh")).containsIgnoringCase("HttpOnly");
    for (String name : List.of("header.payload", "signature", "refresh")) {
      assertThat(session.setCookie(name)).containsIgnoringCase("Secure").contains("Path=/");
    }

    session
        .authenticated()
        .get("/info/")
        .then()
        .statusCode(200)
        .body("user", equalTo("test-admin"))
        .body("user_role", equalTo("ADMIN"))
        .body("channel", equalTo("mychannel"));
    session.authenticated().get("/users/test-admin/").then().statusCode(200);
  }

  @Test
  void aRefreshOfAUserDeletedMeanwhileIsRefusedNotAnError() {
    String jti = java.util.UUID.randomUUID().toString();
    var expires = java.time.OffsetDateTime.now().plusDays(1);
    assertThat(blacklist.add(jti, Long.MAX_VALUE, expires).await().indefinitely()).isFalse();
  }

  @Test
  void theFormOfTheLoginIsAcceptedToo() {
    Session session =
        Session.of(
            given()
                .contentType(ContentType.URLENC)
                .formParam("username", "test-admin")
                .formParam("password", "test-password")
                .post("/me/login/"));
    session
        .authenticated()
        .get("/info/")
        .then()
        .statusCode(200)
        .body("user", equalTo("test-admin"));
  }

  @Test
  void wrongOrMissingCredentialsAreRefused() {
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("username", "test-admin", "password", "wrong"))
        .post("/me/login/")
        .then()
        .statusCode(401)
        .header("Set-Cookie", nullValue())
        .body("detail", equalTo("wrong username password"));
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("username", "nobody-" + UUID.randomUUID(), "password", "whatever"))
        .post("/me/login/")
        .then()
        .statusCode(401)
        .body("detail", equalTo("wrong username password"));
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("username", "test-admin"))
        .post("/me/login/")
        .then()
        .statusCode(400)
        .body("password[0]", equalTo("This field is required."));
    given()
        .contentType(ContentType.JSON)
        .body("{\"username\": ")
        .post("/me/login/")
        .then()
        .statusCode(400)
        .body("detail", notNullValue());
  }

  @Test
  void anIncompleteForgedOrExpiredAccessTokenIsRefused() {
    Session session = login("test-admin", "test-password");
    long userId = session.response().jsonPath().getLong("user_id");

    // The header alone: the signature cookie is the half script cannot steal.
    given()
        .header("Authorization", "JWT " + session.headerPayload())
        .get("/info/")
        .then()
        .statusCode(401)
        .header("WWW-Authenticate", "JWT realm=\"api\"");
    given()
        .header("Authorization", "JWT " + session.headerPayload())
        .cookie("signature", session.signature().substring(1) + "A")
        .get("/info/")
        .then()
        .statusCode(401)
        .body("code", equalTo("token_not_valid"));

    Map<String, Object> forged = new LinkedHashMap<>(session.response().jsonPath().getMap("$"));
    forged.put("user_id", userId + 1000);
    String[] tampered = codec.sign(forged).split("\\.");
    given()
        .header("Authorization", "JWT " + tampered[0] + "." + tampered[1])
        .cookie("signature", session.signature())
        .get("/info/")
        .then()
        .statusCode(401);

    String none = base64("{\"alg\":\"none\",\"typ\":\"JWT\"}");
    given()
        .header("Authorization", "JWT " + none + "." + session.headerPayload().split("\\.")[1])
        .cookie("signature", "")
        .get("/info/")
        .then()
        .statusCode(401);

    Map<String, Object> expired = new LinkedHashMap<>(forged);
    expired.put("user_id", userId);
    expired.put("exp", Instant.now().getEpochSecond() - 1);
    String[] old = codec.sign(expired).split("\\.");
    given()
        .header("Authorization", "JWT " + old[0] + "." + old[1])
        .cookie("signature", old[2])
        .get("/info/")
        .then()
        .statusCode(401)
        .body("detail", equalTo("Token is expired"));

    // A refresh token is no access token.
    String[] refresh = session.refresh().split("\\.");
    given()
        .header("Authorization", "JWT " + refresh[0] + "." + refresh[1])
        .cookie("signature", refresh[2])
        .get("/info/")
        .then()
        .statusCode(401)
        .body("detail", equalTo("Token has wrong type"));
  }

  @Test
  void aRefreshTokenWorksOnceAndGivesANewPair() {
    Session first = login("test-admin", "test-password");

    Session second = Session.of(given().cookie("refresh", first.refresh()).post("/me/refresh/"));
    assertThat(second.refresh()).isNotEqualTo(first.refresh());
    assertThat(second.response().jsonPath().getString("token_type")).isEqualTo("access");
    second.authenticated().get("/info/").then().statusCode(200).body("user", equalTo("test-admin"));

    given()
        .cookie("refresh", first.refresh())
        .post("/me/refresh/")
        .then()
        .statusCode(401)
        .body("detail", equalTo("Token is blacklisted"));
    // An expired access token sent along does not get in the way of the refresh.
    Session third =
        Session.of(
            given()
                .header("Authorization", "JWT expired.token")
                .cookie("refresh", second.refresh())
                .post("/me/refresh/"));
    third.authenticated().get("/info/").then().statusCode(200);
  }

  @Test
  void aRefreshNeedsAValidRefreshCookie() {
    given().post("/me/refresh/").then().statusCode(400).body("refresh[0]", notNullValue());
    given()
        .cookie("refresh", "not-a-token")
        .post("/me/refresh/")
        .then()
        .statusCode(401)
        .body("code", equalTo("token_not_valid"));
    Session session = login("test-admin", "test-password");
    Map<String, Object> claims = new LinkedHashMap<>(session.response().jsonPath().getMap("$"));
    claims.put("token_type", "refresh");
    claims.put("exp", Instant.now().getEpochSecond() - 1);
    given()
        .cookie("refresh", codec.sign(claims))
        .post("/me/refresh/")
        .then()
        .statusCode(401)
        .body("detail", equalTo("Token is expired"));
    // The access token in the refresh cookie.
    given()
        .cookie("refresh", session.headerPayload() + "." + session.signature())
        .post("/me/refresh/")
        .then()
        .statusCode(401)
        .body("detail", equalTo("Token has wrong type"));
  }

  @Test
  void aLogoutEndsTheRefreshTokenAndDeletesTheCookies() {
    Session session = login("test-admin", "test-password");

    Response logout = given().cookie("refresh", session.refresh()).get("/me/logout/");
    logout.then().statusCode(200).body(equalTo("{}"));
    Session deleted = new Session(null, null, null, logout);
    for (String name : List.of("header.payload", "signature", "refresh")) {
      assertThat(deleted.setCookie(name)).startsWith(name + "=;").contains("Max-Age=0");
    }
    given().cookie("refresh", session.refresh()).post("/me/refresh/").then().statusCode(401);

    given().get("/me/logout/").then().statusCode(200).body(equalTo("{}"));
    given().cookie("refresh", "garbage").get("/me/logout/").then().statusCode(200);
  }

  @Test
  void theTokensOfADeletedUserNoLongerWork() {
    String admin = AuthenticationTest.login().getString("token");
    String username = "jwt-" + UUID.randomUUID().toString().substring(0, 8);
    given()
        .header("Authorization", "Token " + admin)
        .contentType(ContentType.JSON)
        .body(Map.of("username", username, "password", "password123", "role", "USER"))
        .post("/users/")
        .then()
        .statusCode(201);
    Session session = login(username, "password123");
    session.authenticated().get("/info/").then().statusCode(200).body("user", equalTo(username));

    given()
        .header("Authorization", "Token " + admin)
        .delete("/users/" + username + "/")
        .then()
        .statusCode(200);
    session
        .authenticated()
        .get("/info/")
        .then()
        .statusCode(401)
        .body("detail", equalTo("User not found"));
    given()
        .cookie("refresh", session.refresh())
        .post("/me/refresh/")
        .then()
        .statusCode(401)
        .body("detail", equalTo("User not found"));
  }

  /**
   * Tokens minted here, outside the service, the way anyone holding a key would: only this node's
   * key together with this node as issuer and audience opens it.
   */
  @Test
  void onlyThisNodesKeyIssuerAndAudienceOpenTheApi() throws Exception {
    Session session = login("test-admin", "test-password");
    long userId = session.response().jsonPath().getLong("user_id");

    // The minter is right: this node's key, issuer and audience are accepted.
    assertAccess(mint(secret, access(userId, issuer, audience)), 200);

    // Another node (org-2 of ./node up --orgs 2), even with the same key.
    assertAccess(mint(secret, access(userId, "http://localhost:8100", "MyOrg2MSP")), 401);
    assertAccess(mint(secret, access(userId, issuer, "MyOrg2MSP")), 401);
    assertAccess(mint(secret, access(userId, "http://localhost:8100", audience)), 401);
    assertAccess(mint(secret, access(userId, issuer, List.of("MyOrg2MSP", "other"))), 401);
    assertAccess(mint(secret, access(userId, issuer, List.of("MyOrg2MSP", audience))), 200);
    // A token of before this change: no issuer nor audience at all.
    Map<String, Object> unbound = access(userId, issuer, audience);
    unbound.remove("iss");
    unbound.remove("aud");
    assertAccess(mint(secret, unbound), 401);

    // The default key this service once documented, with everything else right.
    assertAccess(
        mint(JwtSecret.FORMER_DEFAULT, access(userId, issuer, audience)), 401, "Token is invalid");

    // Refresh tokens are bound the same way.
    Map<String, Object> foreignRefresh = access(userId, "http://localhost:8100", "MyOrg2MSP");
    foreignRefresh.put("token_type", "refresh");
    given()
        .cookie("refresh", mint(secret, foreignRefresh))
        .post("/me/refresh/")
        .then()
        .statusCode(401)
        .body("code", equalTo("token_not_valid"));
    Map<String, Object> formerRefresh = access(userId, issuer, audience);
    formerRefresh.put("token_type", "refresh");
    given()
        .cookie("refresh", mint(JwtSecret.FORMER_DEFAULT, formerRefresh))
        .post("/me/refresh/")
        .then()
        .statusCode(401);
  }

  private static Map<String, Object> access(long userId, String iss, Object aud) {
    long now = Instant.now().getEpochSecond();
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("token_type", "access");
    claims.put("exp", now + 600);
    claims.put("iat", now);
    claims.put("jti", UUID.randomUUID().toString().replace("-", ""));
    claims.put("user_id", userId);
    claims.put("iss", iss);
    claims.put("aud", aud);
    return claims;
  }

  /** An HS256 token of these claims signed with {@code key}, by hand. */
  private static String mint(String key, Map<String, Object> claims) throws Exception {
    String signed =
        base64("{\"alg\":\"HS256\",\"typ\":\"JWT\"}")
            + "."
            + base64(new ObjectMapper().writeValueAsString(claims));
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return signed
        + "."
        + Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.US_ASCII)));
  }

  private static void assertAccess(String token, int status) {
    String[] parts = token.split("\\.");
    given()
        .header("Authorization", "JWT " + parts[0] + "." + parts[1])
        .cookie("signature", parts[2])
        .get("/info/")
        .then()
        .statusCode(status);
  }

  private static void assertAccess(String token, int status, String detail) {
    String[] parts = token.split("\\.");
    given()
        .header("Authorization", "JWT " + parts[0] + "." + parts[1])
        .cookie("signature", parts[2])
        .get("/info/")
        .then()
        .statusCode(status)
        .body("detail", equalTo(detail))
        .header("WWW-Authenticate", "JWT realm=\"api\"");
  }

  private static String base64(String json) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }
}
