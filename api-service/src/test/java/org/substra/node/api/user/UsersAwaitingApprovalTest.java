package org.substra.node.api.user;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import io.quarkus.elytron.security.common.BcryptUtil;
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

/** {@code /users-awaiting-approval/}: admins admit or turn away users without a channel (§2.9). */
@QuarkusTest
@WithLocalDependencies({Dependency.POSTGRESQL, Dependency.OBJECT_STORAGE, Dependency.ORCHESTRATOR})
class UsersAwaitingApprovalTest {

  @Inject Pool pool;

  private static RequestSpecification as(String token) {
    return given().header("Authorization", "Token " + token).contentType(ContentType.JSON);
  }

  /** A user as an OIDC login leaves one: no channel, and the table's default role. */
  private String waitingUser() {
    String username = "waiting-" + UUID.randomUUID().toString().substring(0, 8);
    pool.preparedQuery("INSERT INTO api.users (username, password_hash) VALUES ($1, $2)")
        .execute(Tuple.of(username, BcryptUtil.bcryptHash("password123")))
        .await()
        .atMost(Duration.ofSeconds(10));
    return username;
  }

  @Test
  void anAdminAdmitsAWaitingUserIntoTheChannel() {
    String admin = AuthenticationTest.login().getString("token");
    String waiting = waitingUser();

    as(admin)
        .get("/users-awaiting-approval/")
        .then()
        .statusCode(200)
        .body("results.username", hasItem(waiting))
        .body("results.username", not(hasItem("test-admin")));
    as(admin)
        .queryParam("match", waiting)
        .get("/users-awaiting-approval/")
        .then()
        .body("count", equalTo(1))
        .body("results[0]", equalTo(Map.of("username", waiting, "is_external_user", false)));

    as(admin)
        .queryParam("username", waiting)
        .body(Map.of("role", "USER"))
        .put("/users-awaiting-approval/")
        .then()
        .statusCode(200)
        .body("username", equalTo(waiting))
        .body("channel", equalTo("mychannel"))
        .body("role", equalTo("USER"));
    as(admin).get("/users/" + waiting + "/").then().statusCode(200);
    as(admin)
        .get("/users-awaiting-approval/")
        .then()
        .body("results.username", not(hasItem(waiting)));
    // Now a user of the channel: no longer theirs to admit or turn away.
    as(admin)
        .queryParam("username", waiting)
        .delete("/users-awaiting-approval/")
        .then()
        .statusCode(404);
  }

  @Test
  void anAdminTurnsAWaitingUserAway() {
    String admin = AuthenticationTest.login().getString("token");
    String waiting = waitingUser();
    as(admin)
        .queryParam("username", waiting)
        .delete("/users-awaiting-approval/")
        .then()
        .statusCode(200)
        .body("detail", equalTo("User removed"));
    as(admin)
        .queryParam("username", waiting)
        .delete("/users-awaiting-approval/")
        .then()
        .statusCode(404)
        .body("detail", equalTo("User not found"));
  }

  @Test
  void onlyAdminsOfAChannelDecide() {
    String admin = AuthenticationTest.login().getString("token");
    String waiting = waitingUser();

    given().get("/users-awaiting-approval/").then().statusCode(401);
    // Users awaiting approval have the ADMIN role by default, but no channel: they cannot admit
    // themselves.
    String self = AuthenticationTest.token(waiting, "password123");
    as(self).get("/users-awaiting-approval/").then().statusCode(403);
    as(self)
        .queryParam("username", waiting)
        .body(Map.of("role", "ADMIN"))
        .put("/users-awaiting-approval/")
        .then()
        .statusCode(403);
    String user = AuthenticationTest.token(PasswordResetTest.newUser(admin, "USER"), "password123");
    as(user).get("/users-awaiting-approval/").then().statusCode(403);
    as(user)
        .queryParam("username", waiting)
        .delete("/users-awaiting-approval/")
        .then()
        .statusCode(403);
  }

  @Test
  void badApprovalsAreClearlyRefused() {
    String admin = AuthenticationTest.login().getString("token");
    String waiting = waitingUser();

    as(admin)
        .body(Map.of("role", "USER"))
        .put("/users-awaiting-approval/")
        .then()
        .statusCode(400)
        .body("username[0]", equalTo("This query parameter is required."));
    as(admin)
        .queryParam("username", waiting)
        .body(Map.of())
        .put("/users-awaiting-approval/")
        .then()
        .statusCode(400)
        .body("role[0]", equalTo("This field is required."));
    as(admin)
        .queryParam("username", waiting)
        .body(Map.of("role", "ROOT"))
        .put("/users-awaiting-approval/")
        .then()
        .statusCode(400)
        .body("role[0]", equalTo("\"ROOT\" is not a valid choice."));
    as(admin)
        .queryParam("username", waiting)
        .body("{\"role\": ")
        .put("/users-awaiting-approval/")
        .then()
        .statusCode(400);
    as(admin)
        .queryParam("username", "nobody-" + UUID.randomUUID())
        .body(Map.of("role", "USER"))
        .put("/users-awaiting-approval/")
        .then()
        .statusCode(404);
    as(admin)
        .queryParam("username", "test-admin")
        .body(Map.of("role", "USER"))
        .put("/users-awaiting-approval/")
        .then()
        .statusCode(404);
  }
}
