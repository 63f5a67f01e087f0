package org.substra.node.api.model;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.substra.node.api.testing.ReadModelRows.model;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.substra.node.api.testing.ReadModelRequests;
import org.substra.node.api.testing.ReadModelRows;
import org.substra.node.testing.Dependency;
import org.substra.node.testing.WithLocalDependencies;

/** {@code GET /model/} and {@code GET /model/{key}/} over the read model (§3.6, §4.8). */
@QuarkusTest
@WithLocalDependencies({Dependency.POSTGRESQL, Dependency.OBJECT_STORAGE, Dependency.ORCHESTRATOR})
class ModelListTest extends ReadModelRequests {

  static final String TASK = "a3000000-0000-4000-8000-000000000001";
  static final String OTHER_TASK = "a3000000-0000-4000-8000-000000000002";
  static final String KEPT = "b3000000-0000-4000-8000-000000000001";
  static final String DISABLED = "b3000000-0000-4000-8000-000000000002";
  static final String OTHER = "b3000000-0000-4000-8000-000000000003";
  static final String FOREIGN = "b3000000-0000-4000-8000-000000000004";

  @BeforeEach
  void readModel() {
    givenReadModel(
        ReadModelRows.CLEAR
            + model(KEPT, "mychannel", TASK, "shared", "s3://kept", "2024-03-01T00:00:00Z")
            + model(DISABLED, "mychannel", TASK, "local", null, "2024-03-02T00:00:00Z")
            + model(OTHER, "mychannel", OTHER_TASK, "shared", "s3://o", "2024-03-03T00:00:00Z")
            + model(FOREIGN, "yourchannel", TASK, "x", "s3://f", "2024-03-04T00:00:00Z"));
  }

  @Test
  void listsTheChannelsModelsAsTheSdkReadsThem() {
    user()
        .get("/model/?ordering=-creation_date")
        .then()
        .statusCode(200)
        .body("count", equalTo(3))
        .body("results.key", contains(OTHER, DISABLED, KEPT))
        .body("results[2].compute_task_key", equalTo(TASK))
        .body("results[2].address.checksum", equalTo("cafe"))
        .body("results[2].address.storage_address", endsWith("/model/" + KEPT + "/file/"))
        .body("results[2].permissions.process.authorized_ids", contains("MyOrg1MSP"))
        .body("results[2].permissions.download.public", equalTo(false))
        .body("results[2].owner", equalTo("MyOrg1MSP"))
        .body("results[2].creation_date", equalTo("2024-03-01T00:00:00Z"))
        // Disabled once its file was deleted: substra-tests waits for this null.
        .body("results[1].address", nullValue());
  }

  @Test
  void filtersNarrowTheList() {
    user()
        .get("/model/?compute_task_key=" + TASK)
        .then()
        .body("results.key", contains(KEPT, DISABLED));
    user()
        .get("/model/?compute_task_key=" + TASK + "," + OTHER_TASK)
        .then()
        .body("count", equalTo(3));
    user().get("/model/?compute_task=" + OTHER_TASK).then().body("results.key", contains(OTHER));
    user()
        .get("/model/?creation_date_after=2024-03-02T00:00:00Z")
        .then()
        .body("results.key", contains(DISABLED, OTHER));
    // The SDK's permissions filter: ignored by the reference, so here.
    user().get("/model/?permissions=MyOrg9MSP").then().body("count", equalTo(3));
    user()
        .get("/model/?compute_task_key=task-1")
        .then()
        .statusCode(400)
        .body("compute_task_key[0]", equalTo("“task-1” is not a valid UUID."));
  }

  @Test
  void oneModelOfTheChannelOrNotFound() {
    user().get("/model/" + DISABLED + "/").then().statusCode(200).body("address", nullValue());
    user()
        .get("/model/" + FOREIGN + "/")
        .then()
        .statusCode(404)
        .body("detail", equalTo("No Model matches the given query."));
  }
}
