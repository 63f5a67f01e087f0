package org.substra.node.api.profiling;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.substra.node.api.testing.OrganizationSecrets;
import org.substra.node.api.testing.ReadModelRequests;
import org.substra.node.api.testing.ReadModelRows;
import org.substra.node.testing.Dependency;
import org.substra.node.testing.WithLocalDependencies;

/**
 * {@code /task_profiling/}: this organization's own services record the steps of a task, users of
 * the channel read them (§4.13).
 */
@QuarkusTest
@WithLocalDependencies({Dependency.POSTGRESQL, Dependency.OBJECT_STORAGE, Dependency.ORCHESTRATOR})
class TaskProfilingTest extends ReadModelRequests {

  static final String TASK = "a3000000-0000-4000-8000-000000000001";
  static final String RUNNING = "a3000000-0000-4000-8000-000000000002";
  static final String PLAN = "c3000000-0000-4000-8000-000000000001";
  static final String FUNCTION = "f3000000-0000-4000-8000-000000000001";

  @BeforeEach
  void rows() throws Exception {
    Flyway.configure()
        .dataSource(jdbcUrl(), "substra", "substra")
        .schemas("org_link")
        .defaultSchema("org_link")
        .locations("filesystem:../org-link-service/src/main/resources/db/migration")
        .load()
        .migrate();
    givenReadModel(
        ReadModelRows.CLEAR
            + "DELETE FROM api.task_profiling;"
            + " DELETE FROM org_link.incoming_organizations;"
            + " INSERT INTO org_link.incoming_organizations (organization_id, secret_hash, channel)"
            + " VALUES ('MyOrg1MSP', '"
            + OrganizationSecrets.hash("self-secret")
            + "', 'mychannel'), ('MyOrg2MSP', '"
            + OrganizationSecrets.hash("peer-secret")
            + "', 'mychannel');"
            + ReadModelRows.function(FUNCTION, "mychannel", "train")
            + ReadModelRows.task(
                TASK,
                "mychannel",
                PLAN,
                FUNCTION,
                "MyOrg1MSP",
                0,
                "STATUS_DONE",
                "",
                "{}",
                "2024-01-01T00:00:00Z",
                "2024-01-01T00:00:00Z",
                "2099-01-01T00:00:00Z",
                null)
            + ReadModelRows.task(
                RUNNING,
                "mychannel",
                PLAN,
                FUNCTION,
                "MyOrg1MSP",
                0,
                "STATUS_EXECUTING",
                "",
                "{}",
                "2024-01-01T00:00:00Z",
                "2024-01-01T00:00:00Z",
                null,
                null));
  }

  private static RequestSpecification as(String organization, String secret) {
    return given()
        .auth()
        .preemptive()
        .basic(organization, secret)
        .header("Substra-Channel-Name", "mychannel")
        .contentType(ContentType.JSON);
  }

  @Test
  void ownServicesRecordStepsAndUsersReadThem() {
    RequestSpecification self = as("MyOrg1MSP", "self-secret");
    self.body("{\"compute_task_key\": \"" + TASK + "\"}")
        .post("/task_profiling/")
        .then()
        .statusCode(201)
        .body("compute_task_key", equalTo(TASK));
    as("MyOrg1MSP", "self-secret")
        .body("{\"compute_task_key\": \"" + TASK + "\"}")
        .post("/task_profiling/")
        .then()
        .statusCode(409);
    for (String step : List.of("prepare_inputs", "task_execution", "save_outputs", "build_image")) {
      as("MyOrg1MSP", "self-secret")
          .body("{\"step\": \"" + step + "\", \"duration\": 1000}")
          .post("/task_profiling/" + TASK + "/step/")
          .then()
          .statusCode(201);
    }
    as("MyOrg1MSP", "self-secret")
        .body("{\"step\": \"save_outputs\", \"duration\": 5}")
        .post("/task_profiling/" + TASK + "/step/")
        .then()
        .statusCode(409);
    as("MyOrg1MSP", "self-secret")
        .body("{\"duration\": 2000}")
        .put("/task_profiling/" + TASK + "/step/save_outputs/")
        .then()
        .statusCode(200);

    user()
        .get("/task_profiling/" + TASK + "/")
        .then()
        .statusCode(200)
        .body(
            "execution_rundown.step",
            equalTo(List.of("prepare_inputs", "task_execution", "save_outputs")))
        .body("execution_rundown.duration", equalTo(List.of(1000, 1000, 2000)))
        .body("task_duration", org.hamcrest.Matchers.greaterThan(0L));
    user().get("/task_profiling/").then().body("count", equalTo(1));
  }

  @Test
  void onlyThisOrganizationsServicesWrite() {
    as("MyOrg2MSP", "peer-secret")
        .body("{\"compute_task_key\": \"" + TASK + "\"}")
        .post("/task_profiling/")
        .then()
        .statusCode(403);
    user()
        .contentType(ContentType.JSON)
        .body("{\"compute_task_key\": \"" + TASK + "\"}")
        .post("/task_profiling/")
        .then()
        .statusCode(403);
    as("MyOrg1MSP", "self-secret")
        .body("{\"step\": \"task_execution\", \"duration\": 1}")
        .post("/task_profiling/" + RUNNING + "/step/")
        .then()
        .statusCode(404);
    as("MyOrg1MSP", "self-secret")
        .body("{\"compute_task_key\": \"" + RUNNING + "\"}")
        .post("/task_profiling/")
        .then()
        .statusCode(201)
        .body("task_duration", nullValue());
    as("MyOrg1MSP", "self-secret")
        .body("{\"step\": \"task_execution\", \"duration\": -1}")
        .post("/task_profiling/" + RUNNING + "/step/")
        .then()
        .statusCode(400);
    user().get("/task_profiling/not-a-key/").then().statusCode(400);
  }
}
