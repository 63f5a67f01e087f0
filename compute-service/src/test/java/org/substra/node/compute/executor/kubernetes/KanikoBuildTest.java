package org.substra.node.compute.executor.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.substra.node.compute.config.ComputeConfig;
import org.substra.node.compute.config.TestConfigs;
import org.substra.node.compute.executor.BuildFailure;
import org.substra.node.compute.kubernetes.KanikoPodBuilder;
import org.substra.node.compute.kubernetes.Pods;
import org.substra.node.compute.registry.ImageReferences;
import org.substra.node.compute.staging.Checksums;
import org.substra.node.compute.testing.OneArchive;
import org.substra.node.compute.testing.TestNetwork;
import org.substra.node.orchestrator.protocol.Addressable;
import org.substra.node.orchestrator.protocol.Function;

/** Against the fabric8 mock API server in CRUD mode; the test plays the kubelet's part. */
@EnableKubernetesMockClient(crud = true)
class KanikoBuildTest {

  KubernetesMockServer server;
  KubernetesClient client;
  @TempDir Path workDir;

  /** One archive for the whole run: zip entries carry the time they were written. */
  static final byte[] ARCHIVE = archive();

  static final Function FUNCTION = function(ARCHIVE);

  /** The image tag of {@link #FUNCTION}, named after its archive's checksum. */
  static final String TAG = ImageReferences.tag(FUNCTION.getArchive().getChecksum());

  static byte[] archive() {
    try {
      return TestNetwork.functionArchive("train");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Function function(byte[] archive) {
    return Function.newBuilder()
        .setKey("5c1d9cd1-c2c1-082d-de09-21b56d11030c")
        .setName("train")
        .setOwner("MyOrg1MSP")
        .setArchive(Addressable.newBuilder().setChecksum(Checksums.sha256(archive)))
        .build();
  }

  KanikoBuild build(byte[] archive) {
    ComputeConfig config =
        TestConfigs.compute(
            "compute.work-dir", workDir.toString(),
            "compute.kubernetes.namespace", "substra",
            "compute.kaniko.build-timeout", "20s",
            "compute.pod.deletion-timeout", "5s");
    return new KanikoBuild(
        config,
        new OneArchive(archive),
        new KanikoPodBuilder(config, TestConfigs.registry()),
        new Pods(client, "substra"));
  }

  /** Sets the phase of the Kaniko pod once it exists, as the kubelet would at its end. */
  CompletableFuture<Pod> endPod(String phase) {
    return CompletableFuture.supplyAsync(
            () ->
                client
                    .pods()
                    .inNamespace("substra")
                    .withName("kaniko-" + TAG)
                    .waitUntilCondition(p -> p != null, 10, TimeUnit.SECONDS))
        .thenApply(
            pod -> {
              pod.setStatus(new PodStatusBuilder().withPhase(phase).build());
              return client.pods().inNamespace("substra").resource(pod).updateStatus();
            });
  }

  @Test
  void aSucceededKanikoPodBuildsTheTagAndIsDeleted() throws Exception {
    CompletableFuture<Pod> kubelet = endPod("Succeeded");
    String tag = build(ARCHIVE).build(FUNCTION);
    Pod pod = kubelet.get(10, TimeUnit.SECONDS);

    assertThat(tag).isEqualTo(TAG);
    assertThat(pod.getMetadata().getLabels()).containsEntry("substra.ai/pod-type", "image-build");
    assertThat(client.pods().inNamespace("substra").list().getItems()).isEmpty();
    assertThat(workDir.resolve("tmp/build-" + FUNCTION.getKey())).doesNotExist();
  }

  @Test
  void aFailedKanikoPodIsABuildError() throws Exception {
    endPod("Failed");
    assertThatThrownBy(() -> build(ARCHIVE).build(FUNCTION))
        .isInstanceOf(BuildFailure.class)
        .hasMessageContaining("Kaniko build failed");
    assertThat(client.pods().inNamespace("substra").list().getItems()).isEmpty();
  }

  @Test
  void anArchiveWithoutDockerfileCreatesNoPod() throws Exception {
    byte[] archive = TestNetwork.zip(Map.of("function.py", "print(1)".getBytes()));
    assertThatThrownBy(() -> build(archive).build(function(archive)))
        .isInstanceOf(BuildFailure.class)
        .hasMessageContaining("no Dockerfile");
    assertThat(client.pods().inNamespace("substra").list().getItems()).isEqualTo(List.of());
  }

  @Test
  void anArchiveThatIsNotTheRegisteredOneIsABuildErrorWithoutPod() throws Exception {
    byte[] other = TestNetwork.zip(Map.of("Dockerfile", "FROM scratch\n".getBytes()));
    assertThatThrownBy(() -> build(other).build(FUNCTION))
        .isInstanceOf(BuildFailure.class)
        .hasMessageContaining("checksum mismatch");
    assertThat(client.pods().inNamespace("substra").list().getItems()).isEmpty();
  }
}
