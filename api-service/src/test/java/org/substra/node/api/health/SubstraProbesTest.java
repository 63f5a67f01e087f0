package org.substra.node.api.health;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.substra.node.testing.Dependency.ORCHESTRATOR;

import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.substra.node.testing.Dependency;
import org.substra.node.testing.LocalDependencies;
import org.substra.node.testing.TcpProxy;
import org.substra.node.testing.WithLocalDependencies;

@QuarkusTest
@WithLocalDependencies({Dependency.POSTGRESQL, Dependency.OBJECT_STORAGE, Dependency.ORCHESTRATOR})
class SubstraProbesTest {

  @ParameterizedTest
  @ValueSource(strings = {"/liveness", "/readiness"})
  void answersOkAsTheSubstraBackendDoes(String path) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                given()
                    .get(path)
                    .then()
                    .statusCode(200)
                    .contentType(startsWith("text/html"))
                    .body(equalTo("OK")));
  }

  @Test
  void namesTheUnreachableDependency() {
    TcpProxy orchestrator = LocalDependencies.proxy(ORCHESTRATOR);
    orchestrator.cut();
    try {
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  given()
                      .get("/readiness")
                      .then()
                      .statusCode(503)
                      .body(startsWith("DOWN"), containsString("Orchestrator")));
    } finally {
      orchestrator.restore();
    }
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> given().get("/readiness").then().statusCode(200));
  }
}
