package org.substra.node.api.user;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.substra.node.api.auth.AuthenticationTest;
import org.substra.node.testing.Dependency;
import org.substra.node.testing.WithLocalDependencies;

/** {@code /users/}: admins manage the channel's users, users their own password (§2.9). */
@QuarkusTest
@WithLocalDependencies({Dependency.POSTGRESQL, Dependency.OBJECT_STORAGE, Dependency.ORCHESTRATOR})
class UserManagementTest {

  private static RequestSpecification as(String token) {
    return given().header("Authorization", "Token " + token).contentType(ContentType.JSON);
  }

  @Test
  void anAdminManagesUsersAndUsersTheirPassword() {
    String admin = AuthenticationTest.login().getString("token");
    String alice = "alice-" + UUID.randomUUID().toString().substring(0, 8);
    as(admin)
        .body(
            "{\"username\": \"" + alice + "\", \"password\": \"password123\", \"role\": \"USER\"}")
        .post("/users/")
        .then()
        .statusCode(201)
        .body("username", equalTo(alice))
        .body("channel", equalTo("mychannel"))
        .body("role", equalTo("USER"));
    as(admin)
        .body("{\"username\": \"" + alice + "\", \"password\": \"password123\"}")
        .post("/users/")
        .then()
        .statusCode(400);
    as(admin)
        .body("{\"username\": \"bob\", \"password\": \"password123\", \"role\": \"ROOT\"}")
        .post("/users/")
        .then()
        .statusCode(400)
        .body("role[0]", equalTo("\"ROOT\" is not a valid choice."));
    as(admin)
        .queryParam("match", alice)
        .get("/users/")
        .then()
        .body("results.username", hasItem(alice));

    String user = AuthenticationTest.token(alice, "password123");
    as(user)
        .body("{\"username\": \"mallory\", \"password\": \"password123\"}")
        .post("/users/")
        .then()
        .statusCode(403);
    as(user)
        .body("{\"password\": \"hijacked1\"}")
        .put("/users/test-admin/password/")
        .then()
        .statusCode(403);
    as(user)
        .body("{\"password\": \"newpassword1\"}")
        .put("/users/" + alice + "/password/")
        .then()
        .statusCode(200)
        .body(equalTo("{}"));
    AuthenticationTest.token(alice, "newpassword1");

    as(admin)
        .body("{\"role\": \"ADMIN\"}")
        .put("/users/" + alice + "/")
        .then()
        .statusCode(200)
        .body("role", equalTo("ADMIN"));
    as(admin).delete("/users/" + alice + "/").then().statusCode(200).body(equalTo("{}"));
    as(admin).get("/users/" + alice + "/").then().statusCode(404);
    as(admin).get("/users/").then().body("results.username", not(hasItem(alice)));
  }
}
