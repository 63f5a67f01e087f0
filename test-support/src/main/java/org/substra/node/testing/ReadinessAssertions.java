package org.substra.node.testing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;

/** Readiness assertions over HTTP, shared by every service's health tests. */
public final class ReadinessAssertions {

  private static final Duration PATIENCE = Duration.ofSeconds(30);

  private ReadinessAssertions() {}

  /** Readiness is UP and lists an UP check for each dependency. */
  public static void assertReady(Dependency... dependencies) {
    Awaitility.await("readiness UP")
        .atMost(PATIENCE)
        .pollInterval(Duration.ofMillis(250))
        .untilAsserted(
            () -> {
              JsonPath report =
                  given()
                      .get("/q/health/ready")
                      .then()
                      .log()
                      .ifValidationFails()
                      .statusCode(200)
                      .body("status", equalTo("UP"))
                      .extract()
                      .jsonPath();
              for (Dependency dependency : dependencies) {
                org.hamcrest.MatcherAssert.assertThat(
                    report.getList("checks.name"), hasItem(dependency.checkName()));
                org.hamcrest.MatcherAssert.assertThat(status(report, dependency), equalTo("UP"));
              }
            });
  }

  /**
   * Takes {@code dependency} away: readiness must turn DOWN (503) naming it; brings it back:
   * readiness must turn UP again, with the same running service.
   */
  public static void assertDownWhileUnreachable(Dependency dependency) {
    TcpProxy proxy = LocalDependencies.proxy(dependency);
    assertReady(dependency);
    proxy.cut();
    try {
      Awaitility.await(dependency + " reported DOWN")
          .atMost(PATIENCE)
          .pollInterval(Duration.ofMillis(250))
          .untilAsserted(
              () -> {
                JsonPath report =
                    given()
                        .get("/q/health/ready")
                        .then()
                        .log()
                        .ifValidationFails()
                        .statusCode(503)
                        .body("status", equalTo("DOWN"))
                        .extract()
                        .jsonPath();
                org.hamcrest.MatcherAssert.assertThat(status(report, dependency), equalTo("DOWN"));
              });
      given().get("/q/health/live").then().statusCode(200);
    } finally {
      proxy.restore();
    }
    assertReady(dependency);
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
