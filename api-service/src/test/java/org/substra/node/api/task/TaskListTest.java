package org.substra.node.api.task;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.substra.node.api.testing.ReadModelRows.assetInput;
import static org.substra.node.api.testing.ReadModelRows.dataManager;
import static org.substra.node.api.testing.ReadModelRows.dataSample;
import static org.substra.node.api.testing.ReadModelRows.function;
import static org.substra.node.api.testing.ReadModelRows.link;
import static org.substra.node.api.testing.ReadModelRows.model;
import static org.substra.node.api.testing.ReadModelRows.output;
import static org.substra.node.api.testing.ReadModelRows.parentInput;
import static org.substra.node.api.testing.ReadModelRows.performance;
import static org.substra.node.api.testing.ReadModelRows.plan;
import static org.substra.node.api.testing.ReadModelRows.task;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.substra.node.api.testing.ReadModelRequests;
import org.substra.node.api.testing.ReadModelRows;
import org.substra.node.testing.Dependency;
import org.substra.node.testing.WithLocalDependencies;

/** {@code GET /task/...} and a plan's tasks over the read model (§3.7, §3.10, §4.7, §1.4–1.6). */
@QuarkusTest
@WithLocalDependencies({Dependency.POSTGRESQL, Dependency.OBJECT_STORAGE, Dependency.ORCHESTRATOR})
class TaskListTest extends ReadModelRequests {

  static final String TRAIN = "f0000000-0000-4000-8000-000000000001";
  static final String FOREIGN_FUNCTION = "f0000000-0000-4000-8000-000000000002";
  static final String PLAN = "c0000000-0000-4000-8000-000000000001";
  static final String OTHER_PLAN = "c0000000-0000-4000-8000-000000000002";
  static final String FOREIGN_PLAN = "c0000000-0000-4000-8000-000000000003";
  static final String FIRST = "a0000000-0000-4000-8000-000000000001";
  static final String SECOND = "a0000000-0000-4000-8000-000000000002";
  static final String WAITING = "a0000000-0000-4000-8000-000000000003";
  static final String FOREIGN = "a0000000-0000-4000-8000-000000000004";
  static final String MANAGER = "d0000000-0000-4000-8000-000000000001";
  static final String SAMPLE_A = "e0000000-0000-4000-8000-000000000001";
  static final String SAMPLE_B = "e0000000-0000-4000-8000-000000000002";
  static final String MODEL = "b0000000-0000-4000-8000-000000000001";

  @BeforeEach
  void readModel() {
    givenReadModel(
        ReadModelRows.CLEAR
            + function(TRAIN, "mychannel", "train")
            + function(FOREIGN_FUNCTION, "yourchannel", "other")
            + dataManager(MANAGER, "mychannel")
            + dataSample(SAMPLE_A, "mychannel", "MyOrg1MSP", "2024-01-02T00:00:00Z")
            + dataSample(SAMPLE_B, "mychannel", "MyOrg1MSP", "2024-01-03T00:00:00Z")
            + link(SAMPLE_A, MANAGER, 0)
            + link(SAMPLE_B, MANAGER, 0)
            + plan(
                PLAN,
                "mychannel",
                "p",
                "",
                "{}",
                "2024-03-01T08:00:00Z",
                "PLAN_STATUS_FAILED",
                "2024-03-01T10:00:00Z",
                "2024-03-01T10:05:00Z",
                2,
                1)
            + plan(
                OTHER_PLAN,
                "mychannel",
                "q",
                "",
                "{}",
                "2024-03-01T08:00:00Z",
                "PLAN_STATUS_CREATED",
                null,
                null,
                1,
                0)
            + task(
                FIRST,
                "mychannel",
                PLAN,
                TRAIN,
                "MyOrg1MSP",
                0,
                "STATUS_DONE",
                "first",
                "{\"round_idx\": \"0\"}",
                "2024-03-01T09:00:00Z",
                "2024-03-01T10:00:00Z",
                "2024-03-01T10:01:00Z",
                null)
            + task(
                SECOND,
                "mychannel",
                PLAN,
                TRAIN,
                "MyOrg2MSP",
                1,
                "STATUS_FAILED",
                "",
                "{\"round_idx\": \"1\"}",
                "2024-03-01T09:01:00.5Z",
                "2024-03-01T10:02:00Z",
                "2024-03-01T10:05:00Z",
                "EXECUTION_ERROR")
            + task(
                WAITING,
                "mychannel",
                OTHER_PLAN,
                TRAIN,
                "MyOrg1MSP",
                0,
                "STATUS_WAITING_FOR_BUILDER_SLOT",
                "",
                "{}",
                "2024-03-01T09:02:00Z",
                null,
                null,
                null)
            + task(
                FOREIGN,
                "yourchannel",
                FOREIGN_PLAN,
                FOREIGN_FUNCTION,
                "MyOrg3MSP",
                0,
                "STATUS_DONE",
                "",
                "{}",
                "2024-03-01T09:03:00Z",
                null,
                null,
                null)
            + assetInput(FIRST, 0, "opener", MANAGER)
            + assetInput(FIRST, 1, "datasamples", SAMPLE_B)
            + assetInput(FIRST, 2, "datasamples", SAMPLE_A)
            + assetInput(SECOND, 0, "opener", MANAGER)
            + assetInput(SECOND, 1, "datasamples", SAMPLE_A)
            + parentInput(SECOND, 2, "model", FIRST, "model")
            + output(FIRST, "model", false, false)
            + output(FIRST, "performance", true, false)
            + model(MODEL, "mychannel", FIRST, "model", "s3://m", "2024-03-01T10:00:30Z")
            + performance(FIRST, "performance", "mychannel", 0.87));
  }

  @Test
  void listsAPlansTasksAsTheSdkReadsThem() {
    user()
        .get("/task/?compute_plan_key=" + PLAN)
        .then()
        .statusCode(200)
        .body("count", equalTo(2))
        .body("next", nullValue())
        .body("results.key", contains(FIRST, SECOND))
        .body("results[0].function.key", equalTo(TRAIN))
        .body("results[0].function.name", equalTo("train"))
        .body(
            "results[0].function.archive.storage_address",
            endsWith("/function/" + TRAIN + "/file/"))
        .body("results[0].function.inputs.datasamples.kind", equalTo("ASSET_DATA_SAMPLE"))
        .body("results[0].owner", equalTo("MyOrg1MSP"))
        .body("results[0].compute_plan_key", equalTo(PLAN))
        .body("results[0].metadata.round_idx", equalTo("0"))
        .body("results[0].status", equalTo("STATUS_DONE"))
        .body("results[0].worker", equalTo("MyOrg1MSP"))
        .body("results[0].rank", equalTo(0))
        .body("results[0].tag", equalTo("first"))
        .body("results[0].creation_date", equalTo("2024-03-01T09:00:00Z"))
        .body("results[0].start_date", equalTo("2024-03-01T10:00:00Z"))
        .body("results[0].end_date", equalTo("2024-03-01T10:01:00Z"))
        .body("results[0].error_type", nullValue())
        .body("results[0].logs_permission.authorized_ids", contains("MyOrg1MSP"))
        .body("results[0].duration", equalTo(60))
        .body("results[0].inputs.identifier", contains("opener", "datasamples", "datasamples"))
        .body("results[0].inputs.asset_key", contains(MANAGER, SAMPLE_B, SAMPLE_A))
        .body("results[0].inputs[0].parent_task_key", nullValue())
        .body("results[0].outputs.model.transient", equalTo(false))
        .body("results[0].outputs.model.permissions.process.public", equalTo(false))
        .body(
            "results[0].outputs.model.permissions.download.authorized_ids",
            contains("MyOrg1MSP", "MyOrg2MSP"))
        .body("results[0].outputs.performance.permissions.process.public", equalTo(true))
        .body("results[1].creation_date", equalTo("2024-03-01T09:01:00.500000Z"))
        .body("results[1].status", equalTo("STATUS_FAILED"))
        .body("results[1].error_type", equalTo("EXECUTION_ERROR"))
        .body("results[1].duration", equalTo(180))
        .body("results[1].inputs[2].identifier", equalTo("model"))
        .body("results[1].inputs[2].asset_key", nullValue())
        .body("results[1].inputs[2].parent_task_key", equalTo(FIRST))
        .body("results[1].inputs[2].parent_task_output_identifier", equalTo("model"));
  }

  @Test
  void aTaskNotStartedHasRunZeroSecondsAndAnEmptyTag() {
    user()
        .get("/task/" + WAITING + "/")
        .then()
        .statusCode(200)
        .body("status", equalTo("STATUS_WAITING_FOR_BUILDER_SLOT"))
        .body("start_date", nullValue())
        .body("duration", equalTo(0))
        .body("tag", equalTo(""))
        .body("inputs", empty())
        .body("outputs.size()", equalTo(0));
  }

  @Test
  void filtersNarrowTheList() {
    user().get("/task/").then().body("count", equalTo(3));
    user().get("/task/?status=STATUS_FAILED").then().body("results.key", contains(SECOND));
    user()
        .get("/task/?status=STATUS_DONE,STATUS_WAITING_FOR_BUILDER_SLOT")
        .then()
        .body("results.key", contains(FIRST, WAITING));
    user().get("/task/?rank=1").then().body("results.key", contains(SECOND));
    user()
        .get("/task/?rank=0,1&worker=MyOrg1MSP")
        .then()
        .body("results.key", contains(FIRST, WAITING));
    user().get("/task/?tag=first").then().body("results.key", contains(FIRST));
    user()
        .get("/task/?compute_plan_key=" + PLAN + "," + OTHER_PLAN + "&status=STATUS_DONE")
        .then()
        .body("results.key", contains(FIRST));
    user().get("/task/?function_key=" + TRAIN).then().body("count", equalTo(3));
    user().get("/task/?key=" + SECOND + "," + FOREIGN).then().body("results.key", contains(SECOND));
    user().get("/task/?match=000000000002").then().body("results.key", contains(SECOND));
    user().get("/task/?duration_min=100").then().body("results.key", contains(SECOND));
    user().get("/task/?duration_max=60").then().body("results.key", contains(FIRST, WAITING));
    user()
        .get("/task/?start_date_after=2024-03-01T10:01:00Z")
        .then()
        .body("results.key", contains(SECOND));
    user()
        .get("/task/?end_date_before=2024-03-01T10:01:00Z")
        .then()
        .body("results.key", contains(FIRST));
    user()
        .queryParam("metadata", "[{\"key\":\"round_idx\",\"type\":\"is\",\"value\":\"1\"}]")
        .get("/task/")
        .then()
        .body("results.key", contains(SECOND));
    user()
        .queryParam("metadata", "[{\"key\":\"round_idx\",\"type\":\"exists\"}]")
        .get("/task/")
        .then()
        .body("results.key", contains(FIRST, SECOND));
    // The SDK's filters the reference ignores (and any other unknown parameter) change nothing.
    user().get("/task/?permissions=MyOrg9MSP&whatever=1").then().body("count", equalTo(3));
  }

  @Test
  void orderingOverTheAllowedFields() {
    user()
        .get("/task/?ordering=-duration")
        .then()
        .body("results.key", contains(SECOND, FIRST, WAITING));
    user()
        .get("/task/?ordering=-rank,-creation_date")
        .then()
        .body("results.key", contains(SECOND, WAITING, FIRST));
    // NULLs last ascending, first descending, as in PostgreSQL.
    user()
        .get("/task/?ordering=start_date")
        .then()
        .body("results.key", contains(FIRST, SECOND, WAITING));
    user()
        .get("/task/?ordering=-end_date")
        .then()
        .body("results.key", contains(WAITING, SECOND, FIRST));
    user()
        .get("/task/?ordering=function__name,worker")
        .then()
        .body("results.key", contains(FIRST, SECOND, WAITING));
  }

  @Test
  void badFilterValuesAreExplained() {
    user()
        .get("/task/?status=STATUS_UNKNOWN")
        .then()
        .statusCode(400)
        .body(
            "status[0]",
            equalTo("Select a valid choice. STATUS_UNKNOWN is not one of the available choices."));
    user()
        .get("/task/?compute_plan_key=nope")
        .then()
        .statusCode(400)
        .body("compute_plan_key[0]", equalTo("“nope” is not a valid UUID."));
    user()
        .get("/task/?function_key=" + TRAIN + "," + TRAIN)
        .then()
        .statusCode(400)
        .body("function_key[0]", endsWith("is not a valid UUID."));
    user()
        .get("/task/?rank=first")
        .then()
        .statusCode(400)
        .body("rank[0]", equalTo("Enter a whole number."));
    user()
        .get("/task/?duration_min=long")
        .then()
        .statusCode(400)
        .body("duration_min[0]", equalTo("Enter a number."));
    user()
        .get("/task/?end_date_after=soon")
        .then()
        .statusCode(400)
        .body("end_date_after[0]", equalTo("Enter a valid date/time."));
  }

  @Test
  void pagesLinkToEachOther() {
    String next =
        user()
            .get(
                "/task/?page_size=2&status=STATUS_DONE,STATUS_FAILED,STATUS_WAITING_FOR_BUILDER_SLOT")
            .then()
            .statusCode(200)
            .body("count", equalTo(3))
            .body("results.key", contains(FIRST, SECOND))
            .extract()
            .path("next");
    // Followed verbatim, as the SDK does: the link's escapes (%2C) are not encoded again.
    user()
        .urlEncodingEnabled(false)
        .get(next + "&page_size=2")
        .then()
        .statusCode(200)
        .body("results.key", contains(WAITING))
        .body("next", nullValue())
        .body("previous", not(containsString("page=")));
    user()
        .get("/task/?page_size=2&page=last")
        .then()
        .statusCode(200)
        .body("results.key", contains(WAITING))
        .body("previous", endsWith("/task/?page_size=2"));
  }

  @Test
  void oneTaskOfTheChannelOrNotFound() {
    user().get("/task/" + SECOND + "/").then().statusCode(200).body("key", equalTo(SECOND));
    user()
        .get("/task/" + FOREIGN + "/")
        .then()
        .statusCode(404)
        .body("detail", equalTo("No ComputeTask matches the given query."));
    user().get("/task/not-a-uuid/").then().statusCode(404);
    given().get("/task/").then().statusCode(401);
  }

  @Test
  void inputAssetsResolveParentsOutputs() {
    user()
        .get("/task/" + SECOND + "/input_assets/")
        .then()
        .statusCode(200)
        .body("count", equalTo(3))
        .body("next", nullValue())
        .body("results.identifier", contains("datasamples", "model", "opener"))
        .body("results.kind", contains("ASSET_DATA_SAMPLE", "ASSET_MODEL", "ASSET_DATA_MANAGER"))
        .body("results[0].asset.key", equalTo(SAMPLE_A))
        .body("results[0].asset.data_manager_keys", contains(MANAGER))
        .body("results[1].asset.key", equalTo(MODEL))
        .body("results[1].asset.compute_task_key", equalTo(FIRST))
        .body("results[1].asset.address.storage_address", endsWith("/model/" + MODEL + "/file/"))
        .body("results[2].asset.key", equalTo(MANAGER))
        .body("results[2].asset", not(hasKey("data_sample_keys")));
    user()
        .get("/task/" + FIRST + "/input_assets/")
        .then()
        .body("results.asset.key", contains(SAMPLE_B, SAMPLE_A, MANAGER));
    user()
        .get("/task/" + SECOND + "/input_assets/?kind=ASSET_MODEL,ASSET_DATA_MANAGER")
        .then()
        .body("results.identifier", contains("model", "opener"));
    user()
        .get("/task/" + SECOND + "/input_assets/?identifier=opener")
        .then()
        .body("results.kind", contains("ASSET_DATA_MANAGER"));
  }

  @Test
  void outputAssetsAreModelsAndPerformances() {
    user()
        .get("/task/" + FIRST + "/output_assets/")
        .then()
        .statusCode(200)
        .body("count", equalTo(2))
        .body("results.identifier", contains("model", "performance"))
        .body("results.kind", contains("ASSET_MODEL", "ASSET_PERFORMANCE"))
        .body("results[0].asset.key", equalTo(MODEL))
        .body("results[1].asset.compute_task_key", equalTo(FIRST))
        .body("results[1].asset.compute_task_output_identifier", equalTo("performance"))
        .body("results[1].asset.performance_value", equalTo(0.87f));
    // What get_task_output_asset sends: exactly one result, or none for a task that produced none.
    user()
        .get("/task/" + FIRST + "/output_assets/?identifier=model")
        .then()
        .body("results.asset.key", contains(MODEL));
    user()
        .get("/task/" + SECOND + "/output_assets/?identifier=model")
        .then()
        .body("count", equalTo(0));
    user()
        .get("/task/" + FOREIGN + "/output_assets/")
        .then()
        .statusCode(200)
        .body("count", equalTo(0));
    user()
        .get("/task/" + FIRST + "/output_assets/?kind=ASSET_PERFORMANCE")
        .then()
        .body("results.identifier", contains("performance"));
  }

  @Test
  void aPlansTasks() {
    user()
        .get("/compute_plan/" + PLAN + "/task/?ordering=-rank")
        .then()
        .statusCode(200)
        .body("results.key", contains(SECOND, FIRST));
    user()
        .get("/compute_plan/" + FOREIGN_PLAN + "/task/")
        .then()
        .statusCode(200)
        .body("count", equalTo(0));
    user()
        .get("/compute_plan/not-a-plan/task/")
        .then()
        .statusCode(400)
        .body("detail", equalTo("key is not a valid UUID: \"not-a-plan\""));
  }
}
