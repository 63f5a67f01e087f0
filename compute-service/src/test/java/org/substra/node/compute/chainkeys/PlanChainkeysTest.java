package org.substra.node.compute.chainkeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.substra.node.compute.config.ComputeConfig;
import org.substra.node.compute.config.TestConfigs;
import org.substra.node.orchestrator.protocol.ComputePlan;

/** Against the fabric8 mock API server in CRUD mode. */
@EnableKubernetesMockClient(crud = true)
class PlanChainkeysTest {

  static final String NAMESPACE = "secure-agg";
  static final ComputePlan TAGGED =
      ComputePlan.newBuilder()
          .setKey("7e5c3a1e-0000-4000-8000-000000000002")
          .setTag("sa-1")
          .build();

  KubernetesMockServer server;
  KubernetesClient client;
  @TempDir Path planDir;

  PlanChainkeys chainkeys(String enabled) {
    ComputeConfig.Chainkeys config =
        TestConfigs.compute(
                "compute.chainkeys.enabled", enabled,
                "compute.chainkeys.secret-namespace", NAMESPACE)
            .chainkeys();
    return new PlanChainkeys(config, Optional.of(new ChainkeySecrets(client, NAMESPACE)));
  }

  void secret(String name, Map<String, String> labels, byte[] key) {
    SecretBuilder secret =
        new SecretBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata();
    if (key != null) {
      secret.addToData("key", Base64.getEncoder().encodeToString(key));
    }
    client.secrets().inNamespace(NAMESPACE).resource(secret.build()).create();
  }

  Secret stored(String name) {
    return client.secrets().inNamespace(NAMESPACE).withName(name).get();
  }

  Path task() {
    return planDir.resolve("task").resolve("chainkeys");
  }

  @Test
  void theTaggedPlansSecretsBecomeChainkeysJsonAndAreEmptied() throws Exception {
    secret("key-0", Map.of("compute_plan", "sa-1", "index", "0"), new byte[] {1, 2, (byte) 255});
    secret("key-1", Map.of("compute_plan", "sa-1", "index", "1"), new byte[] {0, 127});
    secret("other", Map.of("compute_plan", "sa-2", "index", "0"), new byte[] {9});

    assertThat(chainkeys("true").prepare(TAGGED, planDir, task())).isTrue();

    String expected = "{\"chain_keys\": {\"0\": [1, 2, 255], \"1\": [0, 127]}}\n";
    assertThat(planDir.resolve("chainkeys/chainkeys.json")).hasContent(expected);
    assertThat(task().resolve("chainkeys.json")).hasContent(expected);
    for (String name : new String[] {"key-0", "key-1"}) {
      assertThat(stored(name).getData()).isNullOrEmpty();
      assertThat(stored(name).getMetadata().getLabels()).containsEntry("compute_plan", "sa-1");
    }
    assertThat(stored("key-1").getMetadata().getLabels()).containsEntry("index", "1");
    assertThat(stored("other").getData()).containsKey("key");
  }

  @Test
  void thePlansChainkeysAreReadOnceThenHandedOnFromTask() throws Exception {
    secret("key-0", Map.of("compute_plan", "sa-1", "index", "0"), new byte[] {5});
    PlanChainkeys chainkeys = chainkeys("true");
    chainkeys.prepare(TAGGED, planDir, task());
    // the task rewrote them; its success makes them the plan's
    Files.writeString(task().resolve("chainkeys.json"), "updated\n");
    chainkeys.commit(planDir, task());
    Files.delete(planDir.resolve("task").resolve("chainkeys"));

    int requests = server.getRequestCount();
    assertThat(chainkeys.prepare(TAGGED, planDir, task())).isTrue();

    assertThat(server.getRequestCount()).isEqualTo(requests);
    assertThat(task().resolve("chainkeys.json")).hasContent("updated\n");
  }

  @Test
  void noSecretForTheTagIsAClearFailure() {
    secret("other", Map.of("compute_plan", "sa-2", "index", "0"), new byte[] {9});
    assertThatThrownBy(() -> chainkeys("true").prepare(TAGGED, planDir, task()))
        .isInstanceOf(ChainkeysUnavailable.class)
        .hasMessage("no chainkeys: no Secret labelled compute_plan=sa-1 in namespace secure-agg");
    assertThat(planDir.resolve("chainkeys/chainkeys.json")).doesNotExist();
  }

  @Test
  void aSecretAlreadyEmptiedIsAFailureAndNoOtherIsEmptied() {
    secret("key-0", Map.of("compute_plan", "sa-1", "index", "0"), new byte[] {5});
    secret("key-1", Map.of("compute_plan", "sa-1", "index", "1"), null);
    assertThatThrownBy(() -> chainkeys("true").prepare(TAGGED, planDir, task()))
        .isInstanceOf(ChainkeysUnavailable.class)
        .hasMessageContaining("key-1");
    assertThat(stored("key-0").getData()).containsKey("key");
  }

  @Test
  void disabledOrUntaggedPlansReadNothing() throws Exception {
    secret("key-0", Map.of("compute_plan", "sa-1", "index", "0"), new byte[] {5});
    int requests = server.getRequestCount();

    assertThat(chainkeys("false").prepare(TAGGED, planDir, task())).isFalse();
    assertThat(chainkeys("true").prepare(TAGGED.toBuilder().setTag("").build(), planDir, task()))
        .isFalse();

    assertThat(server.getRequestCount()).isEqualTo(requests);
    assertThat(planDir.resolve("chainkeys")).doesNotExist();
    assertThat(stored("key-0").getData()).containsKey("key");
  }

  @Test
  void enabledWithoutClusterIsAClearFailure() {
    PlanChainkeys local =
        new PlanChainkeys(
            TestConfigs.compute("compute.chainkeys.enabled", "true").chainkeys(), Optional.empty());
    assertThatThrownBy(() -> local.prepare(TAGGED, planDir, task()))
        .isInstanceOf(ChainkeysUnavailable.class)
        .hasMessageContaining("no Kubernetes cluster");
  }
}
