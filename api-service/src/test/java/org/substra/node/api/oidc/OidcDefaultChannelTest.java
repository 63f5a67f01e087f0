package org.substra.node.api.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.substra.node.api.testing.OidcBrowser;
import org.substra.node.api.testing.OidcIdentities;
import org.substra.node.api.testing.OidcProviderStandIn;
import org.substra.node.testing.Dependency;
import org.substra.node.testing.WithLocalDependencies;

/**
 * OIDC login with a default channel and the provider's refresh tokens: new users work at once, and
 * a lapsed login is extended at the provider without the user noticing.
 */
@QuarkusTest
@TestProfile(OidcDefaultChannelTest.DefaultChannel.class)
@WithLocalDependencies({Dependency.POSTGRESQL, Dependency.OBJECT_STORAGE, Dependency.ORCHESTRATOR})
class OidcDefaultChannelTest {

  public static class DefaultChannel implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "api.oidc.users.default-channel", "mychannel",
          "api.oidc.users.append-domain", "true",
          "api.oidc.users.use-refresh-token", "true");
    }

    @Override
    public List<TestResourceEntry> testResources() {
      return List.of(new TestResourceEntry(OidcProviderStandIn.Resource.class));
    }
  }

  @Inject Pool pool;

  @Test
  void aNewUserJoinsTheDefaultChannel() {
    String local = OidcBrowser.unique("ada");

    Response login = OidcBrowser.login(OidcBrowser.unique("sub"), local + "@Example.com", null);

    login.then().statusCode(302);
    String username = local + "_example.com";
    OidcBrowser.as(login)
        .get("/info/")
        .then()
        .statusCode(200)
        .body("user", equalTo(username))
        .body("channel", equalTo("mychannel"))
        .body("user_role", equalTo("USER"))
        .body("auth.oidc.name", equalTo(OidcProviderStandIn.current().issuer()));
    // A user of the channel: sees its users (a user awaiting approval gets 403 there).
    OidcBrowser.as(login)
        .get("/users/")
        .then()
        .statusCode(200)
        .body("results.username", org.hamcrest.Matchers.hasItems("test-admin", username));
    OidcBrowser.as(login)
        .get("/users/" + username + "/")
        .then()
        .statusCode(200)
        .body("is_external_user", equalTo(true))
        .body("role", equalTo("USER"));
  }

  @Test
  void aLapsedLoginIsExtendedWithTheRefreshTokenUntilTheProviderRefusesIt() {
    String local = OidcBrowser.unique("grace");
    String username = local + "_example.com";
    Response login = OidcBrowser.login(OidcBrowser.unique("sub"), local + "@example.com", null);
    String firstRefreshToken = OidcIdentities.of(pool, username).getString("refresh_token");
    assertThat(firstRefreshToken).isNotEmpty();
    int refreshes = OidcProviderStandIn.current().refreshes();

    OidcIdentities.lapse(pool, username);
    OidcBrowser.as(login).get("/info/").then().statusCode(200).body("user", equalTo(username));

    assertThat(OidcProviderStandIn.current().refreshes()).isEqualTo(refreshes + 1);
    Row extended = OidcIdentities.of(pool, username);
    assertThat(extended.getString("refresh_token")).isNotEqualTo(firstRefreshToken);
    assertThat(extended.getOffsetDateTime("last_login_at"))
        .isAfter(OffsetDateTime.now().minusMinutes(5));
    // Within the new window nothing is asked of the provider.
    OidcBrowser.as(login).get("/info/").then().statusCode(200);
    assertThat(OidcProviderStandIn.current().refreshes()).isEqualTo(refreshes + 1);

    OidcProviderStandIn.current().refuseRefresh(true);
    try {
      OidcIdentities.lapse(pool, username);
      OidcBrowser.as(login).get("/info/").then().statusCode(403);
    } finally {
      OidcProviderStandIn.current().refuseRefresh(false);
    }
  }
}
