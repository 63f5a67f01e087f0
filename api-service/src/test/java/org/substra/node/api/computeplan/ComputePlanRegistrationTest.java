package org.substra.node.api.computeplan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.substra.node.api.testing.RealNetwork;
import org.substra.node.api.testing.SdkClient;
import org.substra.node.testing.Dependency;
import org.substra.node.testing.WithLocalDependencies;

/**
 * The SDK's compute plan flow through the real orchestrator and event-service: create a plan, add
 * its tasks in one batch, list and filter them, rename and cancel the plan (REST spec §4.6, §4.7).
 */
@QuarkusTest
@WithLocalDependencies({Dependency.POSTGRESQL, Dependency.OBJECT_STORAGE})
@QuarkusTestResource(value = RealNetwork.class, restrictToAnnotatedClass = true)
public class ComputePlanRegistrationTest {

  public static final String TRAIN =
      """
      {"name": "train", "permissions": {"public": true, "authorized_ids": []},
       "inputs": {"datasamples": {"kind": "ASSET_DATA_SAMPLE", "optional": false, "multiple": true},
                  "opener": {"kind": "ASSET_DATA_MANAGER", "optional": false, "multiple": false},
                  "models": {"kind": "ASSET_MODEL", "optional": true, "multiple": true}},
       "outputs": {"shared": {"kind": "ASSET_MODEL", "multiple": false}}}
      """;

  private SdkClient sdk;

  @BeforeEach
  void login() {
    sdk = SdkClient.login();
  }

  @Test
  void aNewPlanIsWhatGetShowsWithItsCreator() {
    String key = UUID.randomUUID().toString();
    JsonPath created =
        sdk.request()
            .contentType("application/json")
            .body(
                "{\"key\": \""
                    + key
                    + "\", \"name\": \"plan\", \"tag\": null, \"metadata\": {\"m\": \"1\"},"
                    + " \"tasks\": [{\"ignored\": true}]}")
            .post("/compute_plan/")
            .then()
            .statusCode(201)
            .body("creator", equalTo("test-admin"))
            .body("tag", equalTo(""))
            .body("task_count", equalTo(0))
            .extract()
            .jsonPath();
    Map<String, Object> answered = created.getMap("");
    assertThat(answered).doesNotContainKey("duration");
    Map<String, Object> fetched =
        new HashMap<>(
            sdk.request()
                .get("/compute_plan/" + key + "/")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getMap(""));
    fetched.remove("duration");
    assertThat(answered).isEqualTo(fetched);

    sdk.request()
        .contentType("application/json")
        .body("{\"key\": \"" + key + "\", \"name\": \"again\"}")
        .post("/compute_plan/")
        .then()
        .statusCode(409)
        .body("detail", containsString("already exists"));
    sdk.request()
        .contentType("application/json")
        .body("{\"key\": \"not-a-uuid\", \"name\": \"bad\"}")
        .post("/compute_plan/")
        .then()
        .statusCode(400)
        .body("key[0]", containsString("not a valid UUID"));
    sdk.request()
        .contentType("application/json")
        .body(
            "{\"key\": \""
                + UUID.randomUUID()
                + "\", \"name\": \"bad\", \"metadata\": {\"a__b\": \"c\"}}")
        .post("/compute_plan/")
        .then()
        .statusCode(400);
  }

  @Test
  void tasksOfAPlanAreRegisteredInOneBatchAndListed() {
    String function = sdk.function(TRAIN);
    String dataset = sdk.dataset("data");
    List<String> samples = sdk.samples(dataset, 2);
    String plan = sdk.plan("training");
    String parent = UUID.randomUUID().toString();
    String child = UUID.randomUUID().toString();

    // The child first: the server sorts the batch.
    List<Map<String, Object>> registered =
        sdk.request()
            .contentType("application/json")
            .body(
                "{\"tasks\": ["
                    + task(child, plan, function, dataset, samples, parent, "round 1")
                    + ", "
                    + task(parent, plan, function, dataset, samples, null, null)
                    + "]}")
            .post("/task/bulk_create/")
            .then()
            .statusCode(200)
            .body("", hasSize(2))
            .extract()
            .jsonPath()
            .getList("");
    assertThat(registered).extracting(task -> task.get("key")).containsExactly(parent, child);
    assertThat(registered).extracting(task -> task.get("rank")).containsExactly(0, 1);
    assertThat(registered.get(1)).doesNotContainKey("duration");
    assertThat(registered.get(1).get("tag")).isEqualTo("round 1");

    sdk.request()
        .queryParam("compute_plan_key", plan)
        .get("/task/")
        .then()
        .statusCode(200)
        .body("count", equalTo(2));
    sdk.request()
        .queryParam("compute_plan_key", plan)
        .queryParam("rank", 1)
        .get("/task/")
        .then()
        .body("results.key", equalTo(List.of(child)));
    sdk.request().get("/compute_plan/" + plan + "/").then().body("task_count", equalTo(2));
    sdk.request()
        .get("/compute_plan/" + plan + "/workflow_graph/")
        .then()
        .statusCode(200)
        .body("tasks.key", equalTo(List.of(parent, child)))
        .body("tasks[0].function_name", equalTo("train"))
        .body(
            "tasks[0].inputs_specs.identifier", equalTo(List.of("datasamples", "models", "opener")))
        .body("tasks[0].outputs_specs[0].kind", equalTo("ASSET_MODEL"))
        .body("edges", hasSize(1))
        .body("edges[0].source_task_key", equalTo(parent))
        .body("edges[0].source_output_identifier", equalTo("shared"))
        .body("edges[0].target_task_key", equalTo(child))
        .body("edges[0].target_input_identifier", equalTo("models"));

    sdk.request()
        .contentType("application/json")
        .body("{\"tasks\": [" + task(parent, plan, function, dataset, samples, null, null) + "]}")
        .post("/task/bulk_create/")
        .then()
        .statusCode(409)
        .body("detail", containsString("already exists"));
  }

  @Test
  void badBatchesAreRefusedWithTheReferenceMessages() {
    String function = sdk.function(TRAIN);
    String dataset = sdk.dataset("data");
    List<String> samples = sdk.samples(dataset, 1);
    String plan = sdk.plan("refusals");
    String other = sdk.plan("other");
    bulk("{\"tasks\": []}").statusCode(400).body("detail", equalTo("Invalid compute plan key"));
    bulk("{}").statusCode(400);
    bulk("{\"tasks\": ["
            + task(UUID.randomUUID().toString(), plan, function, dataset, samples, null, null)
            + ", "
            + task(UUID.randomUUID().toString(), other, function, dataset, samples, null, null)
            + "]}")
        .statusCode(400)
        .body("detail", equalTo("All tasks should have the same compute plan key"));
    String unknownPlan = UUID.randomUUID().toString();
    bulk("{\"tasks\": ["
            + task(
                UUID.randomUUID().toString(), unknownPlan, function, dataset, samples, null, null)
            + "]}")
        .statusCode(400)
        .body("detail", equalTo("Invalid compute plan key"));
    bulk("{\"tasks\": ["
            + task(
                UUID.randomUUID().toString(),
                plan,
                function,
                dataset,
                samples,
                UUID.randomUUID().toString(),
                null)
            + "]}")
        .statusCode(400);
    sdk.request().get("/compute_plan/" + plan + "/").then().body("task_count", equalTo(0));
  }

  @Test
  void aPlanIsRenamedAndCanceledOnce() {
    String plan = sdk.plan("to cancel");
    sdk.request()
        .contentType("application/json")
        .body("{\"name\": \"renamed\"}")
        .put("/compute_plan/" + plan + "/")
        .then()
        .statusCode(200);
    sdk.request().get("/compute_plan/" + plan + "/").then().body("name", equalTo("renamed"));
    sdk.request()
        .post("/compute_plan/" + plan + "/cancel/")
        .then()
        .statusCode(200)
        .body(equalTo("{}"));
    sdk.request()
        .get("/compute_plan/" + plan + "/")
        .then()
        .body("status", equalTo("PLAN_STATUS_CANCELED"));
    sdk.request()
        .post("/compute_plan/" + plan + "/cancel/")
        .then()
        .statusCode(400)
        .body("detail", containsString("OE0109"));
    sdk.request().post("/compute_plan/" + UUID.randomUUID() + "/cancel/").then().statusCode(404);
  }

  private io.restassured.response.ValidatableResponse bulk(String body) {
    return sdk.request()
        .contentType("application/json")
        .body(body)
        .post("/task/bulk_create/")
        .then();
  }

  /** A task as the SDK serialises it for a compute plan spec (§4.7). */
  public static String task(
      String key,
      String plan,
      String function,
      String dataset,
      List<String> samples,
      String parent,
      String tag) {
    StringBuilder inputs =
        new StringBuilder(
            "{\"identifier\": \"opener\", \"asset_key\": \""
                + dataset
                + "\", \"parent_task_key\": null, \"parent_task_output_identifier\": null}");
    for (String sample : samples) {
      inputs.append(
          ", {\"identifier\": \"datasamples\", \"asset_key\": \""
              + sample
              + "\", \"parent_task_key\": null, \"parent_task_output_identifier\": null}");
    }
    if (parent != null) {
      inputs.append(
          ", {\"identifier\": \"models\", \"asset_key\": null, \"parent_task_key\": \""
              + parent
              + "\", \"parent_task_output_identifier\": \"shared\"}");
    }
    return "{\"key\": \""
        + key
        + "\", \"compute_plan_key\": \""
        + plan
        + "\", \"function_key\": \""
        + function
        + "\", \"worker\": \"MyOrg1MSP\", \"tag\": "
        + (tag == null ? "null" : "\"" + tag + "\"")
        + ", \"metadata\": null, \"rank\": null, \"inputs\": ["
        + inputs
        + "], \"outputs\": {\"shared\": {\"permissions\": {\"public\": false,"
        + " \"authorized_ids\": [\"MyOrg1MSP\"]}, \"transient\": false}}}";
  }
}
