package org.substra.node.api.input;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.oneOf;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.substra.node.api.testing.RealNetwork;
import org.substra.node.api.testing.SdkClient;
import org.substra.node.testing.Dependency;
import org.substra.node.testing.WithLocalDependencies;

/**
 * Control characters, huge numbers and unknown values at the edge: refused with a 400 naming what
 * was wrong, never a 500, and nothing registered.
 */
@QuarkusTest
@WithLocalDependencies({Dependency.POSTGRESQL, Dependency.OBJECT_STORAGE})
@QuarkusTestResource(value = RealNetwork.class, restrictToAnnotatedClass = true)
class ControlCharacterTest {

  private static final List<String> LISTINGS =
      List.of(
          "/function/",
          "/data_manager/",
          "/data_sample/",
          "/compute_plan/",
          "/task/",
          "/model/",
          "/performance/",
          "/organization/",
          "/news_feed/",
          "/compute_plan_metadata/",
          "/users/",
          "/users-awaiting-approval/");
  private static final List<String> PARAMETERS =
      List.of(
          "match",
          "key",
          "owner",
          "name",
          "tag",
          "status",
          "rank",
          "page",
          "page_size",
          "ordering",
          "creation_date_after",
          "duration_min",
          "metadata",
          "compute_plan_key",
          "role",
          "unknown_parameter");
  private static final List<String> VALUES =
      List.of(
          "\0",
          "a\u0001b",
          "\u007f",
          "99999999999999999999999999",
          "-99999999999999999999",
          "1e400",
          "unknown",
          "%",
          "'",
          "\u00e9\ud83d\ude00");

  private SdkClient sdk;

  @BeforeEach
  void login() {
    sdk = SdkClient.login();
  }

  @Test
  void aNulInAMatchFilterIsA400NamingTheParameter() {
    sdk.request()
        .queryParam("match", "\0")
        .get("/compute_plan/")
        .then()
        .statusCode(400)
        .body(
            "detail",
            equalTo("query parameter 'match' must not contain control characters (U+0000)"));
  }

  @Test
  void aLoginWithANulInItsUsernameIsRefusedAsUnknown() {
    given()
        .contentType(ContentType.URLENC)
        .formParam("username", "test-admin\0")
        .formParam("password", "test-password")
        .post("/api-token-auth/")
        .then()
        .statusCode(400)
        .body("non_field_errors[0]", equalTo("Unable to log in with provided credentials."));
    given()
        .contentType(ContentType.JSON)
        .body("{\"username\": \"test-admin\\u0000\", \"password\": \"test-password\"}")
        .post("/api-token-auth/")
        .then()
        .statusCode(400);
    given()
        .contentType(ContentType.JSON)
        .body("{\"username\": \"\\u0000\", \"password\": \"test-password\"}")
        .post("/me/login/")
        .then()
        .statusCode(oneOf(400, 401));
  }

  @Test
  void aPlanNamedWithANulIsA400AndIsNotRegistered() {
    String key = UUID.randomUUID().toString();
    sdk.request()
        .contentType("application/json")
        .body("{\"key\": \"" + key + "\", \"name\": \"plan\\u0000\"}")
        .post("/compute_plan/")
        .then()
        .statusCode(400)
        .body("detail", equalTo("OE0101: name: must not contain control characters (U+0000)"));
    sdk.request().get("/compute_plan/" + key + "/").then().statusCode(404);
  }

  @Test
  void noListingAnswers5xxWhateverItsParameters() {
    List<String> failures = new ArrayList<>();
    for (String listing : LISTINGS) {
      for (String parameter : PARAMETERS) {
        for (String value : VALUES) {
          int status =
              sdk.request().queryParam(parameter, value).get(listing).then().extract().statusCode();
          if (status >= 500) {
            failures.add(status + " " + listing + "?" + parameter + "=" + value);
          }
        }
      }
      int status = sdk.request().get(listing + "\u0000/").then().extract().statusCode();
      if (status >= 500) {
        failures.add(status + " " + listing + "<NUL>/");
      }
    }
    assertThat(failures).isEmpty();
  }
}
