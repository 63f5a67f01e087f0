package org.substra.node.api.function;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.substra.node.api.testing.ReadModelFixture;
import org.substra.node.api.testing.ReadModelRequests;
import org.substra.node.testing.Dependency;
import org.substra.node.testing.WithLocalDependencies;

/** {@code GET /function/} and {@code GET /function/{key}/} over the read model (§4.3, §1.4). */
@QuarkusTest
@WithLocalDependencies({Dependency.POSTGRESQL, Dependency.OBJECT_STORAGE, Dependency.ORCHESTRATOR})
class FunctionListTest extends ReadModelRequests {

  static final String TRAIN = "11111111-1111-4111-8111-111111111111";
  static final String AGGREGATE = "22222222-2222-4222-8222-222222222222";
  static final String ELSEWHERE = "33333333-3333-4333-8333-333333333333";

  @BeforeEach
  void readModel() {
    givenReadModel(
        "DELETE FROM read_model.functions;"
            + row(TRAIN, "mychannel", "train", "MyOrg1MSP", false, "2024-03-01T09:00:00Z")
            + row(AGGREGATE, "mychannel", "aggregate", "MyOrg2MSP", true, "2024-03-02T09:00:00Z")
            + row(ELSEWHERE, "yourchannel", "other", "MyOrg3MSP", true, "2024-03-03T09:00:00Z"));
  }

  private static String row(
      String key, String channel, String name, String owner, boolean open, String created) {
    return " INSERT INTO read_model.functions (key, channel, name, owner, status,"
        + " description_checksum, description_address, archive_checksum, archive_address,"
        + " image_checksum, image_address, process_public, process_authorized_ids,"
        + " download_public, download_authorized_ids, metadata, inputs, outputs, creation_date)"
        + " VALUES ('"
        + key
        + "', '"
        + channel
        + "', '"
        + name
        + "', '"
        + owner
        + "', 'FUNCTION_STATUS_READY', 'aa', 'x', 'bb', 'y', '', '', "
        + open
        + ", '{"
        + owner
        + "}', "
        + open
        + ", '{"
        + owner
        + "}', '{\"epochs\": \"10\"}',"
        + " '{\"shared\": {\"kind\": \"ASSET_MODEL\", \"multiple\": true, \"optional\": true}}',"
        + " '{\"shared\": {\"kind\": \"ASSET_MODEL\", \"multiple\": false}}', '"
        + created
        + "');";
  }

  @Test
  void listsTheChannelsFunctionsAsTheSdkReadsThem() {
    user()
        .get("/function/?ordering=-creation_date")
        .then()
        .statusCode(200)
        .body("count", equalTo(2))
        .body("next", nullValue())
        .body("results.key", contains(AGGREGATE, TRAIN))
        .body("results[1].name", equalTo("train"))
        .body("results[1].permissions.process.public", equalTo(false))
        .body("results[1].permissions.process.authorized_ids", contains("MyOrg1MSP"))
        .body("results[1].metadata.epochs", equalTo("10"))
        .body("results[1].inputs.shared.kind", equalTo("ASSET_MODEL"))
        .body("results[1].outputs.shared.multiple", equalTo(false))
        .body("results[1].creation_date", equalTo("2024-03-01T09:00:00Z"))
        .body("results[1].archive.checksum", equalTo("bb"))
        .body("results[1].archive.storage_address", startsWith("http://"))
        .body("results[1].archive.storage_address", endsWith("/function/" + TRAIN + "/file/"))
        .body("results[1].status", equalTo("FUNCTION_STATUS_READY"));
  }

  @Test
  void pagesLinkToEachOtherAndBeyondTheLastIsNotFound() {
    String next =
        user()
            .get("/function/?page_size=1&ordering=creation_date")
            .then()
            .statusCode(200)
            .body("count", equalTo(2))
            .body("results.key", contains(TRAIN))
            .body("previous", nullValue())
            .extract()
            .path("next");
    // The SDK follows next and sends its parameters again.
    user()
        .get(next + "&ordering=creation_date")
        .then()
        .statusCode(200)
        .body("results.key", contains(AGGREGATE))
        .body("next", nullValue());
    user()
        .get("/function/?page=3&page_size=1")
        .then()
        .statusCode(404)
        .body("detail", equalTo("Invalid page."));
  }

  @Test
  void filtersNarrowTheList() {
    user().get("/function/?match=aggreg").then().body("results.key", contains(AGGREGATE));
    user().get("/function/?owner=MyOrg1MSP").then().body("results.key", contains(TRAIN));
    user().get("/function/?key=" + TRAIN).then().body("count", equalTo(1));
    user()
        .get("/function/?key=" + TRAIN + ",not-a-key")
        .then()
        .statusCode(400)
        .body("key[0]", equalTo("“not-a-key” is not a valid UUID."));
    user().get("/function/?can_process=MyOrg3MSP").then().body("results.key", contains(AGGREGATE));
    user()
        .get("/function/?creation_date_after=2024-03-02T00:00:00Z")
        .then()
        .body("results.key", contains(AGGREGATE));
    user().get("/function/?creation_date_after=yesterday").then().statusCode(400);
  }

  @Test
  void oneFunctionOfTheChannelOrNotFound() {
    user().get("/function/" + TRAIN + "/").then().statusCode(200).body("key", equalTo(TRAIN));
    user()
        .get("/function/" + ELSEWHERE + "/")
        .then()
        .statusCode(404)
        .body("detail", equalTo("No Function matches the given query."));
    user().get("/function/not-a-uuid/").then().statusCode(404);
    given().get("/function/").then().statusCode(401);
  }

  @Test
  void buildProfilingTotalsOnceBothStepsAreKnown() {
    ReadModelFixture.execute(
        pool,
        "DELETE FROM read_model.function_profiling_steps;"
            + " INSERT INTO read_model.function_profiling_steps VALUES"
            + " ('"
            + TRAIN
            + "', 'build_image', 'mychannel', 123456),"
            + " ('"
            + TRAIN
            + "', 'save_function', 'mychannel', 7890),"
            + " ('"
            + AGGREGATE
            + "', 'build_image', 'mychannel', 5)");
    user()
        .get("/function/" + TRAIN + "/profiling/")
        .then()
        .statusCode(200)
        .body("function_key", equalTo(TRAIN))
        .body("execution_rundown.step", equalTo(List.of("build_image", "save_function")))
        .body("execution_rundown.duration", equalTo(List.of(123456, 7890)))
        .body("duration", equalTo(131346));
    user()
        .get("/function/" + AGGREGATE + "/profiling/")
        .then()
        .statusCode(200)
        .body("duration", equalTo(null));
    user().get("/function/" + ELSEWHERE + "/profiling/").then().statusCode(404);
  }
}
