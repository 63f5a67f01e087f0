package org.substra.node.api.oidc;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.substra.node.api.auth.AuthenticationTest;
import org.substra.node.api.testing.OidcBrowser;
import org.substra.node.api.testing.OidcIdentities;
import org.substra.node.api.testing.OidcProviderStandIn;
import org.substra.node.testing.Dependency;
import org.substra.node.testing.WithLocalDependencies;

/**
 * OIDC login (REST spec §2.7) against a stand-in provider, with no default channel: new users wait
 * for approval, logins are valid one hour and are not refreshed.
 */
@QuarkusTest
@TestProfile(OidcLoginTest.AwaitingApproval.class)
@WithLocalDependencies({Dependency.POSTGRESQL, Dependency.OBJECT_STORAGE, Dependency.ORCHESTRATOR})
class OidcLoginTest {

  public static class AwaitingApproval implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "api.oidc.display-name", "Stand-in ID",
          "api.oidc.token-auth-method", "client_secret_basic",
          "api.common-host-domain", "substra.example.org");
    }

    @Override
    public List<TestResourceEntry> testResources() {
      return List.of(new TestResourceEntry(OidcProviderStandIn.Resource.class));
    }
  }

  @Inject Pool pool;

  @Test
  void aFirstLoginCreatesAUserAwaitingApprovalAndOpensTheApi() {
    String subject = OidcBrowser.unique("sub");
    String local = OidcBrowser.unique("jane.doe");
    String next = "https://app.substra.example.org/compute_plans?page=2";

    Response login = OidcBrowser.login(subject, local + "@example.com", next);

    login.then().statusCode(302).header("Location", next);
    assertThat(login.cookie("header.payload").split("\\.")).hasSize(2);
    assertThat(login.cookie("signature")).isNotEmpty();
    assertThat(login.cookie("refresh")).isNotEmpty();
    assertThat(login.cookie("oidc_flow")).isEmpty();
    OidcBrowser.as(login)
        .get("/info/")
        .then()
        .statusCode(200)
        .body("user", equalTo(local))
        .body("channel", nullValue())
        .body("auth.oidc.name", equalTo("Stand-in ID"))
        .body("auth.oidc.login_url", equalTo("http://localhost:8000/oidc/authenticate/"));
    // No channel yet: no asset (REST spec §1.7).
    OidcBrowser.as(login)
        .get("/function/")
        .then()
        .statusCode(403)
        .body("detail", equalTo("You do not have permission to perform this action."));
    admin()
        .queryParam("match", local)
        .get("/users-awaiting-approval/")
        .then()
        .statusCode(200)
        .body("count", equalTo(1))
        .body("results[0]", equalTo(Map.of("username", local, "is_external_user", true)));
  }

  @Test
  void theSamePersonLogsIntoTheSameUserEvenWithAnotherEmail() {
    String subject = OidcBrowser.unique("sub");
    String local = OidcBrowser.unique("sam");
    OidcBrowser.login(subject, local + "@example.com", null).then().statusCode(302);
    long users = userCount();

    Response again = OidcBrowser.login(subject, "samuel@other.example", null);

    again.then().statusCode(302).header("Location", "http://localhost:8000/");
    OidcBrowser.as(again).get("/info/").then().statusCode(200).body("user", equalTo(local));
    assertThat(userCount()).isEqualTo(users);
    assertThat(OidcIdentities.of(pool, local).getString("email")).isEqualTo("samuel@other.example");
  }

  @Test
  void firstLoginsOfOnePersonAtOnceEndInOneUser() throws Exception {
    String subject = OidcBrowser.unique("twice");
    String local = OidcBrowser.unique("tw");
    List<OidcBrowser.Started> logins = new ArrayList<>();
    List<String> codes = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      OidcBrowser.Started started = OidcBrowser.start(null);
      logins.add(started);
      codes.add(
          OidcProviderStandIn.current()
              .authorize(started.location(), subject, local + "@example.com"));
    }
    long users = userCount();

    ExecutorService browsers = Executors.newFixedThreadPool(logins.size());
    try {
      List<Future<Response>> callbacks = new ArrayList<>();
      for (int i = 0; i < logins.size(); i++) {
        OidcBrowser.Started started = logins.get(i);
        String code = codes.get(i);
        callbacks.add(browsers.submit(() -> started.callback(code)));
      }
      for (Future<Response> callback : callbacks) {
        Response login = callback.get(30, TimeUnit.SECONDS);
        login.then().statusCode(302);
        OidcBrowser.as(login).get("/info/").then().statusCode(200).body("user", equalTo(local));
      }
    } finally {
      browsers.shutdownNow();
    }
    assertThat(userCount()).isEqualTo(users + 1);
  }

  @Test
  void aNextOutsideTheCommonDomainIsIgnored() {
    for (String foreign :
        List.of(
            "https://evil.example/",
            "//evil.example/x",
            "https://substra.example.org.evil.example/")) {
      OidcBrowser.login(
              OidcBrowser.unique("sub"), OidcBrowser.unique("n") + "@example.com", foreign)
          .then()
          .statusCode(302)
          .header("Location", "http://localhost:8000/");
    }
    OidcBrowser.login(
            OidcBrowser.unique("sub"), OidcBrowser.unique("n") + "@example.com", "/datasets")
        .then()
        .statusCode(302)
        .header("Location", "http://localhost:8000/datasets");
  }

  @Test
  void theAuthorizationRequestCarriesStateNonceAndPkce() {
    OidcBrowser.Started started = OidcBrowser.start(null);

    assertThat(started.location().toString())
        .startsWith(OidcProviderStandIn.current().issuer() + "/authorize?");
    assertThat(started.query())
        .containsEntry("response_type", "code")
        .containsEntry("client_id", OidcProviderStandIn.CLIENT_ID)
        .containsEntry("redirect_uri", "http://localhost:8000/oidc/callback/")
        .containsEntry("scope", "openid email")
        .containsEntry("code_challenge_method", "S256")
        .containsKeys("state", "nonce", "code_challenge");
    String flow =
        started.response().headers().getValues("Set-Cookie").stream()
            .filter(cookie -> cookie.startsWith("oidc_flow="))
            .findFirst()
            .orElseThrow();
    assertThat(flow).containsIgnoringCase("HttpOnly").contains("Path=/oidc/");
  }

  @Test
  void aCallbackOfAnotherLoginIsRefusedAndCreatesNobody() {
    OidcBrowser.Started started = OidcBrowser.start(null);
    String email = OidcBrowser.unique("mallory") + "@example.com";
    String code =
        OidcProviderStandIn.current()
            .authorize(started.location(), OidcBrowser.unique("sub"), email);
    long users = userCount();

    started.callback(Map.of("code", code, "state", "another-state")).then().statusCode(400);
    given()
        .redirects()
        .follow(false)
        .queryParam("code", code)
        .queryParam("state", started.query().get("state"))
        .get("/oidc/callback/")
        .then()
        .statusCode(400)
        .body(
            "detail",
            equalTo(
                "No OIDC login in progress in this browser (missing or expired oidc_flow cookie)."));
    assertThat(userCount()).isEqualTo(users);
  }

  @Test
  void aForgedIdTokenIsRefusedAndCreatesNobody() {
    long users = userCount();
    OidcProviderStandIn.current().forgeNextIdToken();

    OidcBrowser.login(OidcBrowser.unique("sub"), OidcBrowser.unique("eve") + "@example.com", null)
        .then()
        .statusCode(401)
        .body(
            "detail",
            equalTo("The OIDC provider's id token is not valid: its signature does not verify."));
    assertThat(userCount()).isEqualTo(users);
  }

  @Test
  void theProvidersRefusalIsAClientError() {
    OidcBrowser.Started started = OidcBrowser.start(null);

    started
        .callback(Map.of("error", "access_denied", "state", started.query().get("state")))
        .then()
        .statusCode(403)
        .body("detail", equalTo("The OIDC provider refused the login (access_denied)."));
    // A code the provider does not know (or already redeemed).
    started.callback("not-a-code").then().statusCode(401);
  }

  @Test
  void anUnreachableProviderIsABadGatewayAndCreatesNobody() {
    long users = userCount();
    OidcProviderStandIn.current().tokenEndpointDown(true);
    try {
      OidcBrowser.login(OidcBrowser.unique("sub"), OidcBrowser.unique("o") + "@example.com", null)
          .then()
          .statusCode(502)
          .body("detail", equalTo("The OIDC provider could not be reached (token endpoint)."));
    } finally {
      OidcProviderStandIn.current().tokenEndpointDown(false);
    }
    assertThat(userCount()).isEqualTo(users);
  }

  @Test
  void aLapsedLoginIsRefusedWithoutRefreshToken() {
    String local = OidcBrowser.unique("lapsed");
    Response login = OidcBrowser.login(OidcBrowser.unique("sub"), local + "@example.com", null);
    OidcBrowser.as(login).get("/info/").then().statusCode(200);

    OidcIdentities.lapse(pool, local);

    OidcBrowser.as(login)
        .get("/info/")
        .then()
        .statusCode(403)
        .body(
            "detail",
            equalTo("Your OIDC login has expired: log in again through the identity provider."));
    // The password users are not concerned.
    admin().get("/info/").then().statusCode(200);
  }

  @Test
  void anonymousInfoAdvertisesTheLogin() {
    given()
        .get("/info/")
        .then()
        .statusCode(200)
        .body("auth.oidc.name", equalTo("Stand-in ID"))
        .body("auth.oidc.login_url", equalTo("http://localhost:8000/oidc/authenticate/"));
  }

  static io.restassured.specification.RequestSpecification admin() {
    return given()
        .header("Authorization", "Token " + AuthenticationTest.login().getString("token"));
  }

  private long userCount() {
    return pool.query("SELECT count(*) FROM api.users")
        .execute()
        .await()
        .atMost(Duration.ofSeconds(10))
        .iterator()
        .next()
        .getLong(0);
  }
}
