package org.substra.node.api.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.substra.node.api.computeplan.ComputePlanRegistrationTest;
import org.substra.node.api.testing.RealNetwork;
import org.substra.node.api.testing.SdkClient;
import org.substra.node.api.testing.Uploaded;
import org.substra.node.api.testing.Worker;
import org.substra.node.orchestrator.protocol.ComputeTaskAction;
import org.substra.node.testing.Dependency;
import org.substra.node.testing.WithLocalDependencies;

/**
 * Downloads of what tasks produce (REST spec §5.3, §5.4): a trained model, exported where the
 * channel allows it, and the logs of a failed task.
 */
@QuarkusTest
@TestProfile(DownloadTest.ModelExport.class)
@WithLocalDependencies({Dependency.POSTGRESQL, Dependency.OBJECT_STORAGE})
@QuarkusTestResource(value = RealNetwork.class, restrictToAnnotatedClass = true)
class DownloadTest {

  /** A channel whose users may download models. */
  public static class ModelExport implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("api.channels.mychannel.model-export-enabled", "true");
    }
  }

  @Inject MinioClient storage;

  @Test
  void aTrainedModelAndTheLogsOfAFailedTaskAreDownloaded() throws Exception {
    SdkClient sdk = SdkClient.login();
    String function = sdk.function(ComputePlanRegistrationTest.TRAIN);
    String dataset = sdk.dataset("data");
    List<String> samples = sdk.samples(dataset, 1);
    String plan = sdk.plan("downloads");
    String train = UUID.randomUUID().toString();
    String next = UUID.randomUUID().toString();
    sdk.request()
        .contentType("application/json")
        .body(
            "{\"tasks\": ["
                + ComputePlanRegistrationTest.task(
                    train, plan, function, dataset, samples, null, null)
                + ", "
                + ComputePlanRegistrationTest.task(
                    next, plan, function, dataset, samples, train, null)
                + "]}")
        .post("/task/bulk_create/")
        .then()
        .statusCode(200);

    byte[] weights = "model weights".getBytes(StandardCharsets.UTF_8);
    String model = UUID.randomUUID().toString();
    String logs = "Traceback (most recent call last):\n  boom\n";
    try (Worker worker = new Worker()) {
      worker.build(function);
      worker.taskAction(train, ComputeTaskAction.TASK_ACTION_EXECUTING);
      put("substra-model", "models/" + model + "/model", weights);
      worker.model(model, train, "shared", Uploaded.sha256(weights));
      worker.taskAction(train, ComputeTaskAction.TASK_ACTION_DONE);
      worker.taskAction(next, ComputeTaskAction.TASK_ACTION_EXECUTING);
      put("substra-asset-logs", next, logs.getBytes(StandardCharsets.UTF_8));
      worker.executionFailure(next, Uploaded.sha256(logs.getBytes(StandardCharsets.UTF_8)));
    }

    eventually(() -> sdk.request().get("/model/" + model + "/").statusCode() == 200);
    byte[] downloaded =
        sdk.request()
            .get("/model/" + model + "/file/")
            .then()
            .statusCode(200)
            .extract()
            .asByteArray();
    assertThat(downloaded).isEqualTo(weights);
    sdk.request().get("/model/" + UUID.randomUUID() + "/file/").then().statusCode(404);

    eventually(
        () -> "STATUS_FAILED".equals(sdk.request().get("/task/" + next + "/").path("status")));
    sdk.request()
        .get("/task/" + next + "/logs/")
        .then()
        .statusCode(200)
        .header("Content-Type", equalTo("text/plain; charset=utf-8"))
        .header(
            "Content-Disposition", equalTo("attachment; filename=\"tuple_logs_" + next + ".txt\""))
        .body(equalTo(logs));
    sdk.request().get("/logs/" + next + "/file/").then().statusCode(200).body(equalTo(logs));
    sdk.request()
        .get("/task/" + train + "/logs/")
        .then()
        .statusCode(410)
        .body("detail", equalTo("Asset not available anymore"));
  }

  private void put(String bucket, String object, byte[] content) throws Exception {
    storage.putObject(
        PutObjectArgs.builder().bucket(bucket).object(object).stream(
                new ByteArrayInputStream(content), content.length, -1)
            .build());
  }

  /** Events reach the read model shortly after the orchestrator answers. */
  private static void eventually(Supplier<Boolean> condition) throws InterruptedException {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (!condition.get()) {
      assertThat(System.nanoTime()).as("waited 20 s for the read model").isLessThan(deadline);
      Thread.sleep(50);
    }
  }
}
