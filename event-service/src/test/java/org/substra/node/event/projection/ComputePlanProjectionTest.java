package org.substra.node.event.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.substra.node.event.testing.Orchestrator.ORG1;
import static org.substra.node.event.testing.Orchestrator.ORG2;
import static org.substra.node.event.testing.Orchestrator.testTask;

import com.rabbitmq.client.GetResponse;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.substra.node.event.dispatch.WorkRouting;
import org.substra.node.event.testing.Broker;
import org.substra.node.event.testing.Orchestrator;
import org.substra.node.event.testing.Orchestrator.TrainPlan;
import org.substra.node.event.testing.ReadModel;
import org.substra.node.event.testing.RealOrchestrator;
import org.substra.node.orchestrator.protocol.ComputeTaskAction;
import org.substra.node.testing.AssetMessages;
import org.substra.node.testing.Dependency;
import org.substra.node.testing.WithLocalDependencies;

/**
 * Whole compute plans run through the real orchestrator: the read model ends as the REST API
 * describes it (rest-api-spec §3, §7.3) and compute-service gets exactly the work of this
 * organization, routed by plan.
 */
@QuarkusTest
@WithLocalDependencies({Dependency.POSTGRESQL, Dependency.RABBITMQ})
@WithTestResource(RealOrchestrator.class)
class ComputePlanProjectionTest {

  private static final Duration PATIENCE = Duration.ofSeconds(30);

  @Inject DataSource dataSource;

  private static Orchestrator orchestrator;
  private ReadModel readModel;

  @BeforeAll
  static void connect() {
    orchestrator = Orchestrator.connect();
    orchestrator.join(ORG1, ORG2);
  }

  @AfterAll
  static void disconnect() throws InterruptedException {
    orchestrator.close();
  }

  private ReadModel readModel() {
    if (readModel == null) {
      readModel = new ReadModel(dataSource);
    }
    return readModel;
  }

  private Map<String, Object> plan(String key) {
    return readModel().row("SELECT * FROM compute_plans WHERE key = ?::uuid", key);
  }

  private Map<String, Object> task(String key) {
    return readModel().row("SELECT * FROM compute_tasks WHERE key = ?::uuid", key);
  }

  private void awaitPlanStatus(String plan, String status) {
    Awaitility.await("plan " + plan + " " + status)
        .atMost(PATIENCE)
        .pollInterval(Duration.ofMillis(100))
        .until(() -> plan(plan) != null && status.equals(plan(plan).get("status")));
  }

  private void awaitWorkPublished() {
    Awaitility.await()
        .atMost(PATIENCE)
        .until(
            () ->
                readModel()
                    .value("SELECT count(*) FROM work_outbox WHERE published_at IS NULL")
                    .equals(0L));
  }

  @Test
  void aFullPlanEndsAsTheRestApiDescribesIt() throws Exception {
    String train = orchestrator.trainFunction(ORG1);
    String test = orchestrator.testFunction(ORG1);
    String manager = orchestrator.dataManager(ORG1);
    List<String> samples = orchestrator.dataSamples(ORG1, manager, 2);
    String plan = orchestrator.plan(ORG1, "full");
    TrainPlan arranged = new TrainPlan(ORG1, train, manager, samples, plan);
    String first = orchestrator.registerTrainTask(arranged);
    String second = orchestrator.registerTrainTask(arranged, first);
    String scoring =
        orchestrator.register(ORG1, testTask(plan, test, manager, samples, second)).get(0).getKey();

    // Every task waits for its function's image: the plan is CREATED, with its counters.
    Awaitility.await()
        .atMost(PATIENCE)
        .until(() -> plan(plan) != null && Integer.valueOf(3).equals(plan(plan).get("task_count")));
    Map<String, Object> created = plan(plan);
    assertThat(created)
        .containsEntry("status", "PLAN_STATUS_CREATED")
        .containsEntry("waiting_builder_slot_count", 3)
        .containsEntry("owner", ORG1)
        .containsEntry("tag", "tag-full")
        .containsEntry("creator", null)
        .containsEntry("start_date", null)
        .containsEntry("end_date", null);
    assertThat(new JsonObject(created.get("metadata").toString()).getMap())
        .isEqualTo(Map.of("epochs", "10"));

    orchestrator.build(ORG1, train, "train renamed");
    Awaitility.await()
        .atMost(PATIENCE)
        .until(() -> Integer.valueOf(1).equals(plan(plan).get("waiting_executor_slot_count")));
    assertThat(plan(plan))
        .containsEntry("status", "PLAN_STATUS_DOING")
        .containsEntry("waiting_executor_slot_count", 1)
        .containsEntry("waiting_parent_tasks_count", 1)
        .containsEntry("waiting_builder_slot_count", 1);
    assertThat(plan(plan).get("start_date")).isNotNull();

    orchestrator.build(ORG1, test, "test");
    String firstModel = orchestrator.runTrain(ORG1, first);
    String secondModel = orchestrator.runTrain(ORG1, second);
    orchestrator.taskAction(ORG1, scoring, ComputeTaskAction.TASK_ACTION_EXECUTING);
    orchestrator.performance(ORG1, scoring, 0.87f);
    orchestrator.taskAction(ORG1, scoring, ComputeTaskAction.TASK_ACTION_DONE);
    awaitPlanStatus(plan, "PLAN_STATUS_DONE");

    Map<String, Object> done = plan(plan);
    assertThat(done)
        .containsEntry("task_count", 3)
        .containsEntry("done_count", 3)
        .containsEntry("waiting_builder_slot_count", 0)
        .containsEntry("building_count", 0)
        .containsEntry("waiting_parent_tasks_count", 0)
        .containsEntry("waiting_executor_slot_count", 0)
        .containsEntry("executing_count", 0)
        .containsEntry("failed_count", 0)
        .containsEntry("canceled_count", 0)
        .containsEntry("failed_task_key", null);
    // The plan ends when its last task does.
    assertThat(done.get("end_date")).isEqualTo(task(scoring).get("end_date"));
    assertThat((OffsetDateTime) done.get("start_date"))
        .isBeforeOrEqualTo((OffsetDateTime) task(first).get("start_date"));

    Map<String, Object> firstTask = task(first);
    assertThat(firstTask)
        .containsEntry("status", "STATUS_DONE")
        .containsEntry("rank", 0)
        .containsEntry("worker", ORG1)
        .containsEntry("owner", ORG1)
        .containsEntry("tag", "round")
        .containsEntry("error_type", null)
        .containsEntry("compute_plan_key", UUID.fromString(plan))
        .containsEntry("function_key", UUID.fromString(train));
    assertThat(new JsonObject(firstTask.get("metadata").toString()).getMap())
        .isEqualTo(Map.of("round_idx", "0"));
    assertThat((OffsetDateTime) firstTask.get("start_date"))
        .isBefore((OffsetDateTime) firstTask.get("end_date"));
    assertThat(task(second)).containsEntry("rank", 1);
    assertThat(task(scoring)).containsEntry("rank", 2);

    // Inputs keep the submission order, parents as (task, output) pairs.
    assertThat(
            readModel()
                .rows(
                    "SELECT identifier, asset_key, parent_task_key, parent_task_output_identifier"
                        + " FROM compute_task_inputs WHERE compute_task_key = ?::uuid"
                        + " ORDER BY position",
                    second))
        .extracting(row -> row.get("identifier"))
        .containsExactly("opener", "datasamples", "datasamples", "shared");
    assertThat(
            readModel()
                .row(
                    "SELECT parent_task_key, parent_task_output_identifier FROM compute_task_inputs"
                        + " WHERE compute_task_key = ?::uuid AND identifier = 'shared'",
                    second))
        .containsEntry("parent_task_key", UUID.fromString(first))
        .containsEntry("parent_task_output_identifier", "shared");
    assertThat(
            readModel()
                .row("SELECT * FROM compute_task_outputs WHERE compute_task_key = ?::uuid", first))
        .containsEntry("identifier", "shared")
        .containsEntry("transient", false)
        .containsEntry("process_public", true)
        .containsEntry("process_authorized_ids", List.of(ORG1));

    // Outputs: models with their output, the performance, in the output assets.
    assertThat(readModel().row("SELECT * FROM models WHERE key = ?::uuid", firstModel))
        .containsEntry("compute_task_key", UUID.fromString(first))
        .containsEntry("compute_task_output_identifier", "shared")
        .containsEntry("owner", ORG1)
        .containsEntry("address", "http://backend-org-1.example:8000/model/" + firstModel + "/");
    assertThat(
            readModel()
                .rows(
                    "SELECT asset_kind, asset_key FROM compute_task_output_assets"
                        + " WHERE compute_task_key = ANY (?::uuid[]) ORDER BY position",
                    (Object) new String[] {first, second, scoring}))
        .extracting(row -> row.get("asset_key"))
        .containsExactly(firstModel, secondModel, scoring + "|performance");
    assertThat(
            readModel()
                .value(
                    "SELECT performance_value FROM performances WHERE compute_task_key = ?::uuid",
                    scoring))
        .isEqualTo(0.87);

    // Functions: built, renamed, profiled.
    assertThat(readModel().row("SELECT * FROM functions WHERE key = ?::uuid", train))
        .containsEntry("status", "FUNCTION_STATUS_READY")
        .containsEntry("name", "train renamed")
        .containsEntry(
            "image_address", "http://backend-org-1.example:8000/function-image/" + train + "/");
    assertThat(
            readModel()
                .value(
                    "SELECT duration FROM function_profiling_steps WHERE function_key = ?::uuid"
                        + " AND step = 'build_image'",
                    train))
        .isEqualTo(123456L);

    // Data: the manager's samples, the organizations of the channel.
    assertThat(
            readModel()
                .rows(
                    "SELECT s.key FROM data_samples s JOIN data_sample_data_managers l"
                        + " ON l.data_sample_key = s.key WHERE l.data_manager_key = ?::uuid"
                        + " ORDER BY s.creation_date, s.key",
                    manager))
        .extracting(row -> row.get("key").toString())
        .containsExactlyInAnyOrderElementsOf(samples);
    assertThat(
            readModel()
                .rows("SELECT id FROM organizations WHERE channel = 'mychannel' ORDER BY id"))
        .extracting(row -> row.get("id"))
        .contains(ORG1, ORG2);

    // Work: the two builds, and the three tasks on the plan's queue, in the order they became
    // ready.
    awaitWorkPublished();
    Map<String, JsonObject> work = drainWork();
    assertThat(work.get("build:" + train).getString("function_key")).isEqualTo(train);
    assertThat(work).containsKey("build:" + test);
    int queue = WorkRouting.taskQueueIndex(plan, 2);
    for (String task : List.of(first, second, scoring)) {
      JsonObject message = work.get("task:" + task);
      assertThat(message.getString("compute_plan_key")).isEqualTo(plan);
      assertThat(message.getString("queue"))
          .isEqualTo(RealOrchestrator.TASK_QUEUE_PREFIX + "." + queue);
    }
    assertThat(work).doesNotContainKey("cancel:" + plan);
  }

  @Test
  void aPlanThatBecomesDoneIsTornDownOnceAfterItsTasks() throws Exception {
    TrainPlan arranged = orchestrator.trainPlan(ORG1, "done", 1);
    String plan = arranged.plan();
    String first = orchestrator.registerTrainTask(arranged);
    String second = orchestrator.registerTrainTask(arranged, first);
    orchestrator.runTrain(ORG1, first);
    awaitPlanStatus(plan, "PLAN_STATUS_DOING");
    orchestrator.runTrain(ORG1, second);
    awaitPlanStatus(plan, "PLAN_STATUS_DONE");
    awaitWorkPublished();

    List<String> ofPlan =
        drainWorkInOrder().stream()
            .filter(message -> plan.equals(message.getString("compute_plan_key")))
            .map(
                message -> {
                  assertThat(message.getString("queue"))
                      .isEqualTo(
                          RealOrchestrator.TASK_QUEUE_PREFIX
                              + "."
                              + WorkRouting.taskQueueIndex(plan, 2));
                  return message.getString("message_id");
                })
            .toList();
    // the two tasks, then one teardown behind them; nothing to cancel
    assertThat(ofPlan)
        .containsExactly("task:" + first, "task:" + second, "teardown:" + plan + ":2");
  }

  @Test
  void aFailedTaskFailsItsPlanWithTheReportsErrorType() throws Exception {
    TrainPlan arranged = orchestrator.trainPlan(ORG1, "failing", 1);
    String plan = arranged.plan();
    String failing = orchestrator.registerTrainTask(arranged);
    String child = orchestrator.registerTrainTask(arranged, failing);
    orchestrator.taskAction(ORG1, failing, ComputeTaskAction.TASK_ACTION_EXECUTING);
    orchestrator.executionFailure(ORG1, failing);
    awaitPlanStatus(plan, "PLAN_STATUS_FAILED");
    Awaitility.await()
        .atMost(PATIENCE)
        .until(() -> "EXECUTION_ERROR".equals(task(failing).get("error_type")));

    assertThat(plan(plan))
        .containsEntry("failed_task_key", UUID.fromString(failing))
        .containsEntry("failed_count", 1)
        .containsEntry("waiting_parent_tasks_count", 1)
        .containsEntry("end_date", task(failing).get("end_date"));
    assertThat(task(failing))
        .containsEntry("status", "STATUS_FAILED")
        .containsEntry(
            "failure_logs_address", AssetMessages.address("logs", failing).getStorageAddress());
    assertThat(task(child)).containsEntry("status", "STATUS_WAITING_FOR_PARENT_TASKS");
    awaitWorkPublished();
    Map<String, JsonObject> work = drainWork();
    assertThat(work.get("cancel:" + plan).getString("plan_status")).isEqualTo("PLAN_STATUS_FAILED");
    assertThat(work.get("teardown:" + plan + ":2").getString("plan_status"))
        .isEqualTo("PLAN_STATUS_FAILED");
  }

  @Test
  void aCanceledPlanEndsAtItsCancelation() throws Exception {
    TrainPlan arranged = orchestrator.trainPlan(ORG1, "canceled", 1);
    String plan = arranged.plan();
    orchestrator.registerTrainTask(arranged);
    orchestrator.cancelPlan(ORG1, plan);
    awaitPlanStatus(plan, "PLAN_STATUS_CANCELED");

    Map<String, Object> canceled = plan(plan);
    assertThat(canceled.get("cancelation_date")).isNotNull();
    assertThat(canceled.get("end_date")).isEqualTo(canceled.get("cancelation_date"));
    awaitWorkPublished();
    Map<String, JsonObject> work = drainWork();
    assertThat(work.get("cancel:" + plan).getString("plan_status"))
        .isEqualTo("PLAN_STATUS_CANCELED");
    assertThat(work.get("teardown:" + plan + ":1").getString("plan_status"))
        .isEqualTo("PLAN_STATUS_CANCELED");
  }

  /** Work messages by message id; each body gets the queue it was found in as "queue". */
  private static Map<String, JsonObject> drainWork() throws Exception {
    Map<String, JsonObject> work = new HashMap<>();
    for (JsonObject message : drainWorkInOrder()) {
      work.put(message.getString("message_id"), message);
    }
    return work;
  }

  /**
   * Every work message, queue after queue in publication order; each body gets its queue as "queue"
   * and its id as "message_id".
   */
  private static List<JsonObject> drainWorkInOrder() throws Exception {
    List<JsonObject> work = new ArrayList<>();
    try (Broker broker = new Broker()) {
      for (String queue :
          List.of(
              RealOrchestrator.BUILD_QUEUE,
              RealOrchestrator.TASK_QUEUE_PREFIX + ".0",
              RealOrchestrator.TASK_QUEUE_PREFIX + ".1")) {
        for (GetResponse message : broker.drain(queue)) {
          JsonObject body = new JsonObject(new String(message.getBody()));
          assertThat(message.getProps().getContentType()).isEqualTo("application/json");
          assertThat(body.getString("kind")).isEqualTo(message.getProps().getType());
          work.add(body.put("queue", queue).put("message_id", message.getProps().getMessageId()));
        }
      }
    }
    return work;
  }
}
