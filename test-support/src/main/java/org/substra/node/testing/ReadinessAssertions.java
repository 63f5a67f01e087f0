package org.substra.node.testing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.awaitility.Awaitility;

/** Readiness assertions over HTTP, shared by every service's health tests. */
public final class ReadinessAssertions {

  private static final Duration PATIENCE = Duration.ofSeconds(30);

  private ReadinessAssertions() {}

  /** Readiness is UP and lists an UP check for each dependency. */
  public static void assertReady(Dependency... dependencies) {
    awaitReadiness(
        "UP",
        report -> {
          for (Dependency dependency : dependencies) {
            assertThat(report.getList("checks.name"), hasItem(dependency.checkName()));
            assertThat(status(report, dependency), equalTo("UP"));
          }
        });
  }

  /**
   * Takes {@code dependency} away: readiness must turn DOWN (503) naming it, while liveness stays
   * UP; brings it back: readiness must turn UP again, with the same running service.
   */
  public static void assertDownWhileUnreachable(Dependency dependency) {
    TcpProxy proxy = LocalDependencies.proxy(dependency);
    assertReady(dependency);
    proxy.cut();
    try {
      awaitReadiness("DOWN", report -> assertThat(status(report, dependency), equalTo("DOWN")));
      given().get("/q/health/live").then().statusCode(200);
    } finally {
      proxy.restore();
    }
    assertReady(dependency);
  }

  private static void awaitReadiness(String overall, Consumer<JsonPath> checks) {
    Awaitility.await("readiness " + overall)
        .atMost(PATIENCE)
        .pollInterval(Duration.ofMillis(250))
        .untilAsserted(
            () ->
                checks.accept(
                    given()
                        .get("/q/health/ready")
                        .then()
                        .log()
                        .ifValidationFails()
                        .statusCode("UP".equals(overall) ? 200 : 503)
                        .body("status", equalTo(overall))
                        .extract()
                        .jsonPath()));
  }

  private static String status(JsonPath report, Dependency dependency) {
    List<Map<String, Object>> checks = report.getList("checks");
    return checks.stream()
        .filter(check -> dependency.checkName().equals(check.get("name")))
        .map(check -> String.valueOf(check.get("status")))
        .findFirst()
        .orElse("missing");
  }
}
