package org.substra.node.api.computeplan;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.substra.node.api.testing.ReadModelRows.function;
import static org.substra.node.api.testing.ReadModelRows.performance;
import static org.substra.node.api.testing.ReadModelRows.plan;
import static org.substra.node.api.testing.ReadModelRows.task;

import io.quarkus.test.junit.QuarkusTest;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.substra.node.api.testing.ReadModelFixture;
import org.substra.node.api.testing.ReadModelRequests;
import org.substra.node.api.testing.ReadModelRows;
import org.substra.node.testing.Dependency;
import org.substra.node.testing.WithLocalDependencies;

/** {@code GET /compute_plan/...} over the read model (§3.8, §4.6, §7.3). */
@QuarkusTest
@WithLocalDependencies({Dependency.POSTGRESQL, Dependency.OBJECT_STORAGE, Dependency.ORCHESTRATOR})
class ComputePlanListTest extends ReadModelRequests {

  static final String TRAIN = "f1000000-0000-4000-8000-000000000001";
  static final String EVALUATE = "f1000000-0000-4000-8000-000000000002";
  static final String RUNNING = "c1000000-0000-4000-8000-000000000001";
  static final String CREATED = "c1000000-0000-4000-8000-000000000002";
  static final String DONE = "c1000000-0000-4000-8000-000000000003";
  static final String FOREIGN = "c1000000-0000-4000-8000-000000000004";
  static final String RANK0 = "a1000000-0000-4000-8000-000000000001";
  static final String RANK1 = "a1000000-0000-4000-8000-000000000002";
  static final String RANK1_OTHER = "a1000000-0000-4000-8000-000000000003";
  static final String DONE_TASK = "a1000000-0000-4000-8000-000000000004";

  @BeforeEach
  void readModel() {
    givenReadModel(
        ReadModelRows.CLEAR
            + function(TRAIN, "mychannel", "train")
            + function(EVALUATE, "mychannel", "evaluate")
            // Started an hour ago, one task of four done: three more hours expected.
            + plan(
                RUNNING,
                "mychannel",
                "federated run",
                "exp-1",
                "{\"epochs\": \"10\"}",
                "2024-03-01T09:00:00Z",
                "PLAN_STATUS_DOING",
                Instant.now().minusSeconds(3600).toString(),
                null,
                4,
                1)
            + plan(
                CREATED,
                "mychannel",
                "empty",
                "exp-2",
                "{\"epochs\": \"20\", \"optimizer\": \"Adam\"}",
                "2024-03-02T09:00:00Z",
                "PLAN_STATUS_CREATED",
                null,
                null,
                0,
                0)
            + plan(
                DONE,
                "mychannel",
                "finished run",
                "exp-1",
                "{\"epochs\": \"5\"}",
                "2024-03-03T09:00:00Z",
                "PLAN_STATUS_DONE",
                "2024-03-03T10:00:00Z",
                "2024-03-03T10:30:00.25Z",
                1,
                1)
            + plan(
                FOREIGN,
                "yourchannel",
                "federated run",
                "exp-1",
                "{}",
                "2024-03-04T09:00:00Z",
                "PLAN_STATUS_DOING",
                "2024-03-04T10:00:00Z",
                null,
                1,
                0)
            + task(
                RANK0,
                "mychannel",
                RUNNING,
                TRAIN,
                "MyOrg1MSP",
                0,
                "STATUS_DONE",
                "",
                "{\"round_idx\": \"0\"}",
                "2024-03-01T09:00:00Z",
                null,
                null,
                null)
            + task(
                RANK1,
                "mychannel",
                RUNNING,
                TRAIN,
                "MyOrg2MSP",
                1,
                "STATUS_DONE",
                "",
                "{\"round_idx\": \"1\"}",
                "2024-03-01T09:00:01Z",
                null,
                null,
                null)
            + task(
                RANK1_OTHER,
                "mychannel",
                RUNNING,
                TRAIN,
                "MyOrg1MSP",
                1,
                "STATUS_DONE",
                "",
                "{\"round_idx\": \"1\"}",
                "2024-03-01T09:00:02Z",
                null,
                null,
                null)
            + task(
                DONE_TASK,
                "mychannel",
                DONE,
                EVALUATE,
                "MyOrg1MSP",
                0,
                "STATUS_DONE",
                "",
                "{}",
                "2024-03-03T09:00:00Z",
                null,
                null,
                null)
            + performance(RANK1, "performance", "mychannel", 0.5)
            + performance(RANK0, "performance", "mychannel", 0.25)
            + performance(RANK1_OTHER, "performance", "mychannel", 0.75));
  }

  @Test
  void listsTheChannelsPlansWithTheirDerivedFields() {
    user()
        .get("/compute_plan/")
        .then()
        .statusCode(200)
        .body("count", equalTo(3))
        .body("results.key", contains(RUNNING, CREATED, DONE))
        .body("results[0].owner", equalTo("MyOrg1MSP"))
        .body("results[0].name", equalTo("federated run"))
        .body("results[0].tag", equalTo("exp-1"))
        .body("results[0].creator", nullValue())
        .body("results[0].metadata.epochs", equalTo("10"))
        .body("results[0].status", equalTo("PLAN_STATUS_DOING"))
        .body("results[0].task_count", equalTo(4))
        .body("results[0].done_count", equalTo(1))
        .body("results[0].executing_count", equalTo(3))
        .body("results[0].failed_count", equalTo(0))
        .body("results[0].failed_task_key", nullValue())
        .body("results[0].end_date", nullValue())
        .body("results[0].duration", greaterThan(3599))
        .body(
            "results[0].estimated_end_date",
            matchesPattern("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z"))
        .body("results[1].status", equalTo("PLAN_STATUS_CREATED"))
        .body("results[1].start_date", nullValue())
        .body("results[1].duration", equalTo(0))
        .body("results[1]", not(hasKey("estimated_end_date")))
        .body("results[2].duration", equalTo(1800))
        .body("results[2].end_date", equalTo("2024-03-03T10:30:00.250000Z"))
        .body("results[2].estimated_end_date", equalTo("2024-03-03T10:30:00.250000Z"));
  }

  @Test
  void theEstimateExtrapolatesTheRateOfDoneTasks() {
    String estimate =
        user().get("/compute_plan/" + RUNNING + "/").then().extract().path("estimated_end_date");
    long minutesAhead =
        (Instant.parse(estimate).getEpochSecond() - Instant.now().getEpochSecond()) / 60;
    // 3 remaining tasks × 3600 s per done task.
    assertTrue(Math.abs(minutesAhead - 180) <= 1, "estimate " + estimate);
  }

  @Test
  void defaultPageSizeIsTen() {
    StringBuilder many = new StringBuilder("DELETE FROM read_model.compute_plans;");
    for (int i = 0; i < 12; i++) {
      many.append(
          plan(
              String.format("c2000000-0000-4000-8000-%012d", i),
              "mychannel",
              "p" + i,
              "",
              "{}",
              "2024-03-01T09:00:00Z",
              "PLAN_STATUS_CREATED",
              null,
              null,
              0,
              0));
    }
    ReadModelFixture.execute(pool, many.toString());
    user()
        .get("/compute_plan/")
        .then()
        .body("count", equalTo(12))
        .body("results.size()", equalTo(10))
        .body("next", endsWith("/compute_plan/?page=2"));
  }

  @Test
  void filtersNarrowTheList() {
    user()
        .get("/compute_plan/?status=PLAN_STATUS_DONE,PLAN_STATUS_CREATED")
        .then()
        .body("results.key", contains(CREATED, DONE));
    user().get("/compute_plan/?tag=exp-1").then().body("results.key", contains(RUNNING, DONE));
    user().get("/compute_plan/?name=empty").then().body("results.key", contains(CREATED));
    user().get("/compute_plan/?match=run federated").then().body("results.key", contains(RUNNING));
    user().get("/compute_plan/?match=run").then().body("results.key", contains(RUNNING, DONE));
    user()
        .get("/compute_plan/?function_key=" + EVALUATE)
        .then()
        .body("results.key", contains(DONE));
    user().get("/compute_plan/?creator=external").then().body("count", equalTo(0));
    user()
        .get("/compute_plan/?start_date_before=2024-03-03T10:00:00Z")
        .then()
        .body("results.key", contains(DONE));
    user()
        .get("/compute_plan/?end_date_after=2024-01-01T00:00:00Z")
        .then()
        .body("results.key", contains(DONE));
    user().get("/compute_plan/?duration_min=3000").then().body("results.key", contains(RUNNING));
    user()
        .get("/compute_plan/?duration_max=1800")
        .then()
        .body("results.key", contains(CREATED, DONE));
    // The SDK's worker filter is one the reference ignores.
    user().get("/compute_plan/?worker=MyOrg9MSP").then().body("count", equalTo(3));
  }

  @Test
  void metadataFilterAsTheE2eTestsUseIt() {
    metadata("[{\"key\":\"epochs\",\"type\":\"is\",\"value\":\"20\"}]", CREATED);
    metadata("[{\"key\":\"optimizer\",\"type\":\"contains\",\"value\":\"ada\"}]", CREATED);
    metadata("[{\"key\":\"optimizer\",\"type\":\"exists\"}]", CREATED);
    metadata(
        "[{\"key\":\"epochs\",\"type\":\"exists\"},{\"key\":\"epochs\",\"type\":\"is\",\"value\":\"5\"}]",
        DONE);
    metadata("[{\"key\":\"unknown\",\"type\":\"exists\"}]");
    // Not JSON, or an entry without a type: the filter is ignored, not an error.
    metadata("not json", RUNNING, CREATED, DONE);
    metadata("[{\"key\":\"epochs\"}]", RUNNING, CREATED, DONE);
  }

  private void metadata(String filter, String... expected) {
    user()
        .queryParam("metadata", filter)
        .get("/compute_plan/")
        .then()
        .statusCode(200)
        .body("results.key", expected.length == 0 ? empty() : contains(expected));
  }

  @Test
  void orderingIncludesMetadataValues() {
    user()
        .get("/compute_plan/?ordering=-metadata__epochs")
        .then()
        .body("results.key", contains(DONE, CREATED, RUNNING));
    user()
        .get("/compute_plan/?ordering=-duration")
        .then()
        .body("results.key", contains(RUNNING, DONE, CREATED));
    user()
        .get("/compute_plan/?ordering=-start_date")
        .then()
        .body("results.key", contains(CREATED, RUNNING, DONE));
    user()
        .get("/compute_plan/?ordering=metadata__it's")
        .then()
        .statusCode(200)
        .body("count", equalTo(3));
  }

  @Test
  void badFilterValuesAreExplained() {
    user()
        .get("/compute_plan/?status=PLAN_STATUS_UNKNOWN")
        .then()
        .statusCode(400)
        .body(
            "status[0]",
            equalTo(
                "Select a valid choice. PLAN_STATUS_UNKNOWN is not one of the available choices."));
    user()
        .get("/compute_plan/?key=123")
        .then()
        .statusCode(400)
        .body("key[0]", equalTo("“123” is not a valid UUID."));
    user().get("/compute_plan/?function_key=abc").then().statusCode(400);
    user().get("/compute_plan/?duration_max=NaN").then().statusCode(400);
  }

  @Test
  void onePlanOfTheChannelOrNotFound() {
    user()
        .get("/compute_plan/" + DONE + "/")
        .then()
        .statusCode(200)
        .body("status", equalTo("PLAN_STATUS_DONE"));
    user()
        .get("/compute_plan/" + FOREIGN + "/")
        .then()
        .statusCode(404)
        .body("detail", equalTo("No ComputePlan matches the given query."));
  }

  @Test
  void performancesOfThePlanByRankThenWorker() {
    user()
        .get("/compute_plan/" + RUNNING + "/perf/")
        .then()
        .statusCode(200)
        .body("results.compute_task.key", contains(RANK0, RANK1_OTHER, RANK1))
        .body("results.perf", contains(0.25f, 0.75f, 0.5f))
        .body("results[0].identifier", equalTo("performance"))
        .body("results[0].compute_task.function_key", equalTo(TRAIN))
        .body("results[0].compute_task.rank", equalTo(0))
        .body("results[0].compute_task.round_idx", equalTo("0"))
        .body("results[0].compute_task.worker", equalTo("MyOrg1MSP"))
        .body("compute_plan_statistics.compute_tasks_distinct_ranks", contains(0, 1))
        .body("compute_plan_statistics.compute_tasks_distinct_rounds", contains("0", "1"));
    user()
        .get("/compute_plan/" + RUNNING + "/perf/?ordering=-compute_task_output__task__worker")
        .then()
        .body("results.compute_task.key", contains(RANK1, RANK0, RANK1_OTHER));
    user()
        .get("/compute_plan/" + FOREIGN + "/perf/")
        .then()
        .statusCode(200)
        .body("results", empty())
        .body("compute_plan_statistics", nullValue());
    user()
        .get("/compute_plan/not-a-plan/perf/")
        .then()
        .statusCode(400)
        .body("detail", equalTo("key is not a valid UUID: \"not-a-plan\""));
  }

  @Test
  void theFunctionsOfAPlanAreThoseItsTasksUse() {
    user()
        .get("/compute_plan/" + RUNNING + "/functions/")
        .then()
        .statusCode(200)
        .body("results.key", equalTo(List.of(TRAIN)));
    user()
        .get("/compute_plan/" + DONE + "/functions/")
        .then()
        .body("results.key", equalTo(List.of(EVALUATE)));
    user().get("/compute_plan/nope/functions/").then().statusCode(400);
  }

  @Test
  void theMetadataKeysOfTheChannelsPlans() {
    user()
        .get("/compute_plan_metadata/")
        .then()
        .statusCode(200)
        .body("", equalTo(List.of("epochs", "optimizer")));
  }

  @Test
  void performancesOfTheChannelAsRowsAndCsv() {
    user()
        .get("/performance/")
        .then()
        .statusCode(200)
        .body("count", equalTo(3))
        .body("results.performance", contains(0.25f, 0.75f, 0.5f))
        .body("results[0].compute_plan_key", equalTo(RUNNING))
        .body("results[0].compute_plan_metadata.epochs", equalTo("10"))
        .body("results[0].task_round", equalTo("0"));
    user().get("/performance/?status=PLAN_STATUS_DONE").then().body("count", equalTo(0));
    String csv =
        user()
            .get("/performance/export/?metadata_columns=epochs")
            .then()
            .statusCode(200)
            .header("Content-Disposition", equalTo("attachment; filename=\"compute_plans.csv\""))
            .extract()
            .asString();
    String[] lines = csv.split("\r\n");
    org.assertj.core.api.Assertions.assertThat(lines).hasSize(4);
    org.assertj.core.api.Assertions.assertThat(lines[0])
        .isEqualTo(
            "compute_plan_key,compute_plan_name,compute_plan_tag,compute_plan_status,"
                + "compute_plan_start_date,compute_plan_end_date,epochs,identifier,worker,"
                + "task_rank,task_round,performance");
    org.assertj.core.api.Assertions.assertThat(lines[1])
        .startsWith(RUNNING + ",federated run,")
        .endsWith(",10,performance,MyOrg1MSP,0,0,0.25");
  }
}
