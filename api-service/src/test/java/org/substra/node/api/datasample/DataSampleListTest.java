package org.substra.node.api.datasample;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.substra.node.api.testing.ReadModelRows.dataManager;
import static org.substra.node.api.testing.ReadModelRows.dataSample;
import static org.substra.node.api.testing.ReadModelRows.link;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.substra.node.api.testing.ReadModelRequests;
import org.substra.node.api.testing.ReadModelRows;
import org.substra.node.testing.Dependency;
import org.substra.node.testing.WithLocalDependencies;

/** {@code GET /data_sample/} and {@code GET /data_sample/{key}/} over the read model (§4.5). */
@QuarkusTest
@WithLocalDependencies({Dependency.POSTGRESQL, Dependency.OBJECT_STORAGE, Dependency.ORCHESTRATOR})
class DataSampleListTest extends ReadModelRequests {

  static final String TRAINING = "d2000000-0000-4000-8000-000000000001";
  static final String TESTING = "d2000000-0000-4000-8000-000000000002";
  static final String OLD = "e2000000-0000-4000-8000-000000000001";
  static final String NEW = "e2000000-0000-4000-8000-000000000002";
  static final String UNLINKED = "e2000000-0000-4000-8000-000000000003";
  static final String FOREIGN = "e2000000-0000-4000-8000-000000000004";

  @BeforeEach
  void readModel() {
    givenReadModel(
        ReadModelRows.CLEAR
            + dataManager(TRAINING, "mychannel")
            + dataManager(TESTING, "mychannel")
            + dataSample(NEW, "mychannel", "MyOrg1MSP", "2024-03-02T00:00:00Z")
            + dataSample(OLD, "mychannel", "MyOrg1MSP", "2024-03-01T00:00:00Z")
            + dataSample(UNLINKED, "mychannel", "MyOrg2MSP", "2024-03-03T00:00:00Z")
            + dataSample(FOREIGN, "yourchannel", "MyOrg3MSP", "2024-03-04T00:00:00Z")
            + link(NEW, TESTING, 0)
            + link(NEW, TRAINING, 1)
            + link(OLD, TRAINING, 0)
            + link(FOREIGN, TRAINING, 0));
  }

  @Test
  void listsTheChannelsSamplesOldestFirst() {
    user()
        .get("/data_sample/")
        .then()
        .statusCode(200)
        .body("count", equalTo(3))
        .body("next", nullValue())
        .body("results.key", contains(OLD, NEW, UNLINKED))
        .body("results[0].owner", equalTo("MyOrg1MSP"))
        .body("results[0].creation_date", equalTo("2024-03-01T00:00:00Z"))
        .body("results[0].data_manager_keys", contains(TRAINING))
        // The orchestrator's order of the links, not the keys'.
        .body("results[1].data_manager_keys", contains(TESTING, TRAINING))
        .body("results[2].data_manager_keys", empty())
        .body("results[0].path", nullValue())
        .body("results[0]", not(hasKey("checksum")));
  }

  @Test
  void filtersAndOrdering() {
    user()
        .get("/data_sample/?dataset_key=" + TRAINING)
        .then()
        .body("results.key", contains(OLD, NEW));
    user().get("/data_sample/?dataset_key=" + TESTING).then().body("results.key", contains(NEW));
    user().get("/data_sample/?owner=MyOrg2MSP").then().body("results.key", contains(UNLINKED));
    user()
        .get("/data_sample/?key=" + NEW + "," + FOREIGN)
        .then()
        .body("results.key", contains(NEW));
    user()
        .get("/data_sample/?creation_date_before=2024-03-02T00:00:00Z")
        .then()
        .body("results.key", contains(OLD, NEW));
    user()
        .get("/data_sample/?ordering=-creation_date")
        .then()
        .body("results.key", contains(UNLINKED, NEW, OLD));
    user()
        .get("/data_sample/?ordering=-owner,key")
        .then()
        .body("results.key", contains(UNLINKED, OLD, NEW));
    // No match and no name on samples: ignored like any parameter the endpoint does not know.
    user().get("/data_sample/?match=zzz&name=zzz").then().body("count", equalTo(3));
    user()
        .get("/data_sample/?dataset_key=" + TRAINING + "," + TESTING)
        .then()
        .statusCode(400)
        .body("dataset_key[0]", equalTo("“" + TRAINING + "," + TESTING + "” is not a valid UUID."));
    user().get("/data_sample/?page_size=1&page=4").then().statusCode(404);
  }

  @Test
  void oneSampleOfTheChannelOrNotFound() {
    user()
        .get("/data_sample/" + NEW + "/")
        .then()
        .statusCode(200)
        .body("key", equalTo(NEW))
        .body("data_manager_keys", contains(TESTING, TRAINING));
    user()
        .get("/data_sample/" + FOREIGN + "/")
        .then()
        .statusCode(404)
        .body("detail", equalTo("No DataSample matches the given query."));
    user().get("/data_sample/nope/").then().statusCode(404);
  }
}
