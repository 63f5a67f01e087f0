package org.substra.node.compute.work;

import static org.assertj.core.api.Assertions.assertThat;
import static org.substra.node.compute.testing.TestNetwork.modelTask;
import static org.substra.node.compute.testing.TestNetwork.task;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.substra.node.compute.testing.Dispatcher;
import org.substra.node.compute.testing.NetworkAndQueues;
import org.substra.node.compute.testing.RealOrchestrator;
import org.substra.node.orchestrator.protocol.ComputeTaskStatus;
import org.substra.node.orchestrator.protocol.ErrorType;
import org.substra.node.testing.Dependency;
import org.substra.node.testing.WithLocalDependencies;

/**
 * worker-spec §2.8 through the whole task flow, local executor, Secrets in a mock API server: a
 * tagged plan's task reads its chainkeys, an untagged one runs without, a tag without Secret fails.
 */
@QuarkusTest
@TestProfile(ChainkeysPlanTest.ChainkeysOn.class)
@WithKubernetesTestServer
@WithLocalDependencies({Dependency.RABBITMQ, Dependency.OBJECT_STORAGE})
@WithTestResource(RealOrchestrator.class)
class ChainkeysPlanTest extends NetworkAndQueues {

  static final String NAMESPACE = "secure-agg";

  public static class ChainkeysOn implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "compute.chainkeys.enabled", "true", "compute.chainkeys.secret-namespace", NAMESPACE);
    }
  }

  @KubernetesTestServer KubernetesServer kubernetes;

  ComputeTaskStatus run(String plan, String function) throws Exception {
    String dataManager = network.dataManager();
    String sample = network.dataSample(dataManager, "1", null);
    var task = modelTask(plan, function, dataManager, sample);
    network.register(task);
    try (Dispatcher dispatcher = new Dispatcher(network, queues, plan)) {
      ComputePlanTest.await(
          "task final",
          Duration.ofSeconds(60),
          () -> {
            ComputeTaskStatus status = network.getTask(task.getKey()).getStatus();
            return status == ComputeTaskStatus.STATUS_DONE
                || status == ComputeTaskStatus.STATUS_FAILED;
          });
    }
    lastTask = task.getKey();
    return network.getTask(task.getKey()).getStatus();
  }

  String lastTask;

  @Test
  void aTaggedPlansTaskReadsItsChainkeysAndTheSecretIsEmptied() throws Exception {
    queues.purge();
    kubernetes
        .getClient()
        .secrets()
        .inNamespace(NAMESPACE)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("chainkey-0")
                .withLabels(Map.of("compute_plan", "secure-1", "index", "0"))
                .endMetadata()
                .addToData("key", Base64.getEncoder().encodeToString(new byte[] {1, 2, 3}))
                .build())
        .create();
    String plan = network.plan("secure", "secure-1");

    assertThat(run(plan, network.builtFunction(queues, "chainkeys")))
        .isEqualTo(ComputeTaskStatus.STATUS_DONE);

    String model = network.models(lastTask).get(0).getKey();
    assertThat(new String(network.get("substra-model", "models/" + model + "/model")))
        .isEqualTo("6");
    assertThat(
            kubernetes
                .getClient()
                .secrets()
                .inNamespace(NAMESPACE)
                .withName("chainkey-0")
                .get()
                .getData())
        .isNullOrEmpty();
    assertThat(Path.of("target", "work", plan, "chainkeys", "chainkeys.json"))
        .hasContent("{\"chain_keys\": {\"0\": [1, 2, 3]}}\n");
  }

  @Test
  void anUntaggedPlanRunsWithoutChainkeys() throws Exception {
    queues.purge();
    String plan = network.plan("plain");
    assertThat(run(plan, network.builtFunction(queues, "train")))
        .isEqualTo(ComputeTaskStatus.STATUS_DONE);
    assertThat(Path.of("target", "work", plan, "chainkeys")).doesNotExist();
  }

  @Test
  void aTagWithoutSecretFailsTheTask() throws Exception {
    queues.purge();
    String plan = network.plan("no-keys", "nobody-made-keys");
    assertThat(run(plan, network.builtFunction(queues, "train")))
        .isEqualTo(ComputeTaskStatus.STATUS_FAILED);
    assertThat(network.failureReport(lastTask).getErrorType())
        .isEqualTo(ErrorType.ERROR_TYPE_INTERNAL);
    assertThat(Files.exists(Path.of("target", "work", plan, "chainkeys", "chainkeys.json")))
        .isFalse();
  }
}
