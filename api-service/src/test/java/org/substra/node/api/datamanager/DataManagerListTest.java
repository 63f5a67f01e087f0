package org.substra.node.api.datamanager;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.substra.node.api.testing.ReadModelRequests;
import org.substra.node.testing.Dependency;
import org.substra.node.testing.WithLocalDependencies;

/** {@code GET /data_manager/} and {@code GET /data_manager/{key}/} over the read model (§4.4). */
@QuarkusTest
@WithLocalDependencies({Dependency.POSTGRESQL, Dependency.OBJECT_STORAGE, Dependency.ORCHESTRATOR})
class DataManagerListTest extends ReadModelRequests {

  static final String OPEN = "44444444-4444-4444-8444-444444444444";
  static final String CLOSED = "55555555-5555-4555-8555-555555555555";
  static final String OLD_SAMPLE = "66666666-6666-4666-8666-666666666666";
  static final String NEW_SAMPLE = "77777777-7777-4777-8777-777777777777";

  @BeforeEach
  void readModel() {
    givenReadModel(
        "DELETE FROM read_model.data_sample_data_managers; DELETE FROM read_model.data_samples;"
            + " DELETE FROM read_model.data_managers;"
            + manager(OPEN, "open data", true, "2024-03-01T09:00:00Z")
            + manager(CLOSED, "closed data", false, "2024-03-02T09:00:00Z")
            + " INSERT INTO read_model.data_samples (key, channel, owner, checksum, creation_date)"
            + " VALUES ('"
            + NEW_SAMPLE
            + "', 'mychannel', 'MyOrg1MSP', 'c', '2024-03-04T00:00:00Z'), ('"
            + OLD_SAMPLE
            + "', 'mychannel', 'MyOrg1MSP', 'c', '2024-03-03T00:00:00Z');"
            + " INSERT INTO read_model.data_sample_data_managers"
            + " (data_sample_key, data_manager_key, position) VALUES ('"
            + NEW_SAMPLE
            + "', '"
            + OPEN
            + "', 0), ('"
            + OLD_SAMPLE
            + "', '"
            + OPEN
            + "', 0);");
  }

  private static String manager(String key, String name, boolean open, String created) {
    return " INSERT INTO read_model.data_managers (key, channel, name, owner,"
        + " description_checksum, description_address, opener_checksum, opener_address,"
        + " process_public, process_authorized_ids, download_public, download_authorized_ids,"
        + " logs_public, logs_authorized_ids, metadata, creation_date) VALUES ('"
        + key
        + "', 'mychannel', '"
        + name
        + "', 'MyOrg1MSP', 'd', 'x', 'o', 'y', "
        + open
        + ", '{MyOrg1MSP}', "
        + open
        + ", '{MyOrg1MSP}', "
        + open
        + ", '{MyOrg1MSP}', '{}', '"
        + created
        + "');";
  }

  @Test
  void listsDatasetsWithTheirSamplesOldestFirst() {
    user()
        .get("/data_manager/")
        .then()
        .statusCode(200)
        .body("count", equalTo(2))
        .body("results.key", contains(OPEN, CLOSED))
        .body("results[0].data_sample_keys", contains(OLD_SAMPLE, NEW_SAMPLE))
        .body("results[1].data_sample_keys", empty())
        .body("results[0].opener.storage_address", endsWith("/data_manager/" + OPEN + "/opener/"))
        .body("results[0].logs_permission.public", equalTo(true));
  }

  @Test
  void filtersBySampleAndPermissions() {
    user()
        .get("/data_manager/?data_sample_key=" + NEW_SAMPLE)
        .then()
        .body("results.key", contains(OPEN));
    user()
        .get("/data_manager/?can_access_logs=MyOrg2MSP")
        .then()
        .body("results.key", contains(OPEN));
    user().get("/data_manager/?match=closed").then().body("results.key", contains(CLOSED));
  }

  @Test
  void oneDatasetOrNotFound() {
    user()
        .get("/data_manager/" + OPEN + "/")
        .then()
        .statusCode(200)
        .body("data_sample_keys", contains(OLD_SAMPLE, NEW_SAMPLE));
    user()
        .get("/data_manager/88888888-8888-4888-8888-888888888888/")
        .then()
        .statusCode(404)
        .body("detail", equalTo("No DataManager matches the given query."));
  }
}
