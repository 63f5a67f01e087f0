package org.substra.node.api.auth;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.substra.node.testing.Dependency;
import org.substra.node.testing.WithLocalDependencies;

/**
 * Many SDK clients logging in, then ending (logging out) at the same moment (issue 17): every call
 * answers within a bound, none with a 5xx, and no PostgreSQL transaction is left open behind them.
 */
@QuarkusTest
@TestProfile(ConcurrentLogoutTest.ManyLogins.class)
@WithLocalDependencies({Dependency.POSTGRESQL, Dependency.OBJECT_STORAGE, Dependency.ORCHESTRATOR})
class ConcurrentLogoutTest {

  private static final int CLIENTS = 50;
  private static final long BOUND_SECONDS = 30;

  /** All the clients log in from one address: the throttle must not be what is tested here. */
  public static class ManyLogins implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("api.tokens.logins-per-minute", "1000");
    }
  }

  @ConfigProperty(name = "quarkus.datasource.jdbc.url")
  String jdbcUrl;

  @ConfigProperty(name = "quarkus.datasource.username")
  String dbUser;

  @ConfigProperty(name = "quarkus.datasource.password")
  String dbPassword;

  // Each call gives up on its own: a hanging request fails the test instead of hanging it.
  private static final RestAssuredConfig TIMEOUTS =
      RestAssuredConfig.config()
          .httpClient(
              HttpClientConfig.httpClientConfig()
                  .setParam("http.connection.timeout", 5_000)
                  .setParam("http.socket.timeout", (int) (BOUND_SECONDS * 1000)));

  @Test
  void fiftyLoginsThenFiftyLogoutsAtOnceAllAnswerAndLeaveNoOpenTransaction() throws Exception {
    List<Response> logins =
        atOnce(
            () ->
                given()
                    .config(TIMEOUTS)
                    .accept("application/json;version=0.0")
                    .contentType(ContentType.URLENC)
                    .formParam("username", "test-admin")
                    .formParam("password", "test-password")
                    .post("/api-token-auth/"));
    assertThat(logins).allSatisfy(login -> assertThat(login.statusCode()).isEqualTo(200));

    List<Callable<Response>> logouts = new ArrayList<>();
    for (Response login : logins) {
      String key = login.jsonPath().getString("token");
      String id = login.jsonPath().getString("id");
      logouts.add(
          () ->
              given()
                  .config(TIMEOUTS)
                  .accept("application/json;version=0.0")
                  .header("Authorization", "Token " + key)
                  .queryParam("id", id)
                  .delete("/active-api-tokens/"));
    }
    List<Response> answers = atOnce(logouts);
    assertThat(answers).allSatisfy(logout -> assertThat(logout.statusCode()).isEqualTo(200));

    // The tokens are gone: each client's key no longer opens anything.
    String anyKey = logins.get(0).jsonPath().getString("token");
    given().header("Authorization", "Token " + anyKey).get("/info/").then().statusCode(401);
    assertThat(idleInTransaction()).isEmpty();
  }

  private static List<Response> atOnce(Callable<Response> call) throws Exception {
    List<Callable<Response>> calls = new ArrayList<>();
    for (int i = 0; i < CLIENTS; i++) {
      calls.add(call);
    }
    return atOnce(calls);
  }

  /** The calls run at the same time; all must have answered within the bound. */
  private static List<Response> atOnce(List<Callable<Response>> calls) throws Exception {
    ExecutorService clients = Executors.newFixedThreadPool(calls.size());
    try {
      List<Future<Response>> pending = new ArrayList<>();
      for (Callable<Response> call : calls) {
        pending.add(clients.submit(call));
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(BOUND_SECONDS);
      List<Response> answers = new ArrayList<>();
      int unanswered = 0;
      Throwable firstFailure = null;
      for (Future<Response> call : pending) {
        try {
          answers.add(call.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
        } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
          unanswered++;
          firstFailure = firstFailure == null ? e : firstFailure;
        }
      }
      assertThat(unanswered)
          .as(
              "calls without an answer within %d s (first: %s)",
              BOUND_SECONDS, String.valueOf(firstFailure))
          .isZero();
      assertThat(answers).allSatisfy(answer -> assertThat(answer.statusCode()).isLessThan(500));
      return answers;
    } finally {
      clients.shutdownNow();
    }
  }

  /** The test database's backends left in an open transaction (none of them this query's). */
  private List<String> idleInTransaction() throws Exception {
    // A transaction between two statements is idle in transaction for a moment: only a lasting one
    // counts, so look a few times.
    List<String> left = List.of();
    for (int attempt = 0; attempt < 20; attempt++) {
      left = new ArrayList<>();
      try (Connection db = DriverManager.getConnection(jdbcUrl, dbUser, dbPassword);
          Statement statement = db.createStatement();
          ResultSet rows =
              statement.executeQuery(
                  "select pid, application_name, query from pg_stat_activity"
                      + " where datname = current_database() and pid <> pg_backend_pid()"
                      + " and state like 'idle in transaction%'")) {
        while (rows.next()) {
          left.add(rows.getInt(1) + " " + rows.getString(2) + ": " + rows.getString(3));
        }
      }
      if (left.isEmpty()) {
        return left;
      }
      Thread.sleep(250);
    }
    return left;
  }
}
