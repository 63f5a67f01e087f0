package org.substra.node.compute.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.server.mock.OutputStreamMessage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Against the fabric8 mock API server in CRUD mode: it stores what is sent, as a cluster would. */
@EnableKubernetesMockClient(crud = true)
class PodsTest {

  private static final String NAMESPACE = "substra";

  KubernetesMockServer server;
  KubernetesClient client;
  private Pods pods;

  @BeforeEach
  void setUp() {
    pods = new Pods(client, NAMESPACE);
  }

  @Test
  void createsOnceAndFindsTheExistingPodOnASecondCreate() {
    Pod created = pods.createIfAbsent(pod("kaniko-function-1", "first"));
    Pod again = pods.createIfAbsent(pod("kaniko-function-1", "second"));

    assertThat(created.getMetadata().getUid()).isNotNull();
    assertThat(again.getMetadata().getUid()).isEqualTo(created.getMetadata().getUid());
    assertThat(again.getSpec().getContainers().get(0).getImage()).isEqualTo("first");
    assertThat(client.pods().inNamespace(NAMESPACE).list().getItems()).hasSize(1);
    assertThat(client.pods().inNamespace("default").list().getItems()).isEmpty();
  }

  @Test
  void listsByLabels() {
    pods.createIfAbsent(withLabels(pod("a", "img"), Map.of("substra.ai/compute-plan-key", "cp1")));
    pods.createIfAbsent(withLabels(pod("b", "img"), Map.of("substra.ai/compute-plan-key", "cp2")));

    assertThat(pods.list(Map.of("substra.ai/compute-plan-key", "cp2")))
        .extracting(p -> p.getMetadata().getName())
        .containsExactly("b");
    assertThat(pods.get("a")).isPresent();
    assertThat(pods.get("c")).isEmpty();
  }

  @Test
  void awaitsRunningWhileTheKubeletStartsThePod() {
    pods.createIfAbsent(pod("compute", "img"));
    CompletableFuture<Void> kubelet =
        CompletableFuture.runAsync(
            () -> setPhase("compute", "Running"),
            CompletableFuture.delayedExecutor(300, TimeUnit.MILLISECONDS));

    Pod running = pods.awaitRunning("compute", Duration.ofSeconds(10));

    assertThat(Pods.phase(running)).isEqualTo("Running");
    kubelet.join();
  }

  @Test
  void timesOutWhenThePodStaysPending() {
    pods.createIfAbsent(pod("stuck", "img"));

    assertThatThrownBy(() -> pods.awaitRunning("stuck", Duration.ofMillis(500)))
        .isInstanceOfSatisfying(
            PodWaitException.class,
            e -> assertThat(e.outcome()).isEqualTo(PodWaitException.Outcome.TIMEOUT));
  }

  @Test
  void aPodThatEndsBeforeRunningDidNotStart() {
    pods.createIfAbsent(pod("crashed", "img"));
    setPhase("crashed", "Failed");

    assertThatThrownBy(() -> pods.awaitRunning("crashed", Duration.ofSeconds(5)))
        .isInstanceOfSatisfying(
            PodWaitException.class,
            e -> assertThat(e.outcome()).isEqualTo(PodWaitException.Outcome.ENDED));
  }

  @Test
  void awaitsTheEndOfABuild() {
    pods.createIfAbsent(pod("kaniko", "img"));
    setPhase("kaniko", "Running");
    CompletableFuture.runAsync(
        () -> setPhase("kaniko", "Succeeded"),
        CompletableFuture.delayedExecutor(300, TimeUnit.MILLISECONDS));

    assertThat(Pods.phase(pods.awaitEnd("kaniko", Duration.ofSeconds(10)))).isEqualTo("Succeeded");
  }

  @Test
  void aPodDeletedWhileAwaitedIsGone() {
    pods.createIfAbsent(pod("evicted", "img"));
    CompletableFuture.runAsync(
        () -> client.pods().inNamespace(NAMESPACE).withName("evicted").delete(),
        CompletableFuture.delayedExecutor(300, TimeUnit.MILLISECONDS));

    assertThatThrownBy(() -> pods.awaitEnd("evicted", Duration.ofSeconds(10)))
        .isInstanceOfSatisfying(
            PodWaitException.class,
            e -> assertThat(e.outcome()).isEqualTo(PodWaitException.Outcome.GONE));
  }

  @Test
  void deletesAndWaitsUntilGone() {
    pods.createIfAbsent(pod("done", "img"));

    assertThat(pods.delete("done", Duration.ofSeconds(5))).isTrue();
    assertThat(pods.get("done")).isEmpty();
    assertThat(pods.delete("done", Duration.ofSeconds(5))).isFalse();
  }

  @Test
  void readsContainerLogsAndNothingForAMissingPod() {
    pods.createIfAbsent(pod("kaniko-x", "img"));
    // CRUD mode stores objects only; the log subresource is an expectation on the same server.
    server
        .expect()
        .get()
        .withPath(
            "/api/v1/namespaces/" + NAMESPACE + "/pods/kaniko-x/log?pretty=false&container=kaniko")
        .andReturn(200, "INFO pushing image\nERROR failed\n")
        .once();

    assertThat(pods.logs("kaniko-x", "kaniko")).contains("INFO pushing image\nERROR failed\n");
    assertThat(pods.logs("missing", "kaniko")).isEmpty();
  }

  @Test
  void anExecStillRunningAtItsTimeoutIsGivenUpOn() {
    pods.createIfAbsent(pod("busy", "img"));
    setPhase("busy", "Running");
    // The exec session prints and stays open: the command's status would come a minute later.
    // (The mock server closes a session once it has nothing left to send, so the late frame is
    // registered before the output.)
    server
        .expect()
        .get()
        .withPath(
            "/api/v1/namespaces/"
                + NAMESPACE
                + "/pods/busy/exec?command=sleep&command=infinity&container=main&stdout=true&stderr=true")
        .andUpgradeToWebSocket()
        .open()
        .waitFor(60_000)
        .andEmit("a late frame")
        .immediately()
        .andEmit(new OutputStreamMessage("epoch 1\n"))
        .done()
        .once();
    ByteArrayOutputStream output = new ByteArrayOutputStream();

    long started = System.nanoTime();
    assertThatThrownBy(
            () ->
                pods.exec(
                    "busy", "main", List.of("sleep", "infinity"), output, Duration.ofMillis(1500)))
        .isInstanceOf(Pods.ExecTimedOut.class)
        .hasMessageContaining("busy")
        .hasMessageContaining("PT1.5S");
    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .isGreaterThanOrEqualTo(Duration.ofMillis(1500))
        .isLessThan(Duration.ofSeconds(10));
    assertThat(output.toString(StandardCharsets.UTF_8)).isEqualTo("epoch 1\n");
  }

  @Test
  void readsTheLocalRegistrysNodePort() {
    client
        .services()
        .inNamespace(NAMESPACE)
        .resource(
            new ServiceBuilder()
                .withNewMetadata()
                .withName("release-docker-registry")
                .endMetadata()
                .withNewSpec()
                .withType("NodePort")
                .addNewPort()
                .withPort(5000)
                .withNodePort(31500)
                .endPort()
                .endSpec()
                .build())
        .create();

    assertThat(pods.nodePort("release-docker-registry")).isEqualTo(OptionalInt.of(31500));
    assertThat(pods.nodePort("absent")).isEmpty();
  }

  private void setPhase(String name, String phase) {
    Pod current = client.pods().inNamespace(NAMESPACE).withName(name).get();
    client
        .pods()
        .inNamespace(NAMESPACE)
        .resource(new PodBuilder(current).withNewStatus().withPhase(phase).endStatus().build())
        .updateStatus();
  }

  private static Pod pod(String name, String image) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("main")
        .withImage(image)
        .endContainer()
        .endSpec()
        .build();
  }

  private static Pod withLabels(Pod pod, Map<String, String> labels) {
    return new PodBuilder(pod).editMetadata().withLabels(labels).endMetadata().build();
  }
}
