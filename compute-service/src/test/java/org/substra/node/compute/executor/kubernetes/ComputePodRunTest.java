package org.substra.node.compute.executor.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.substra.node.compute.config.ComputeConfig;
import org.substra.node.compute.config.TestConfigs;
import org.substra.node.compute.kubernetes.ComputePod;
import org.substra.node.compute.kubernetes.ComputePodBuilder;
import org.substra.node.compute.kubernetes.Pods;

/**
 * Against the fabric8 mock API server (CRUD, plus an exec expectation); the test is the kubelet.
 */
@EnableKubernetesMockClient(crud = true)
class ComputePodRunTest {

  static final String PLAN = "7e5c3a1e-0000-4000-8000-000000000001";
  static final String TAG = "function-0123456789abcdef";
  static final List<String> ENTRYPOINT =
      List.of("python3", "function.py", "--function-name", "train");

  KubernetesMockServer server;
  KubernetesClient client;
  @TempDir Path dir;

  ComputePodRun run(String startupTimeout) {
    return run(startupTimeout, new Pods(client, "substra"));
  }

  ComputePodRun run(String startupTimeout, Pods pods) {
    ComputeConfig config =
        TestConfigs.compute(
            "compute.work-dir",
            dir.toString(),
            "compute.kubernetes.namespace",
            "substra",
            "compute.pod.startup-timeout",
            startupTimeout,
            "compute.pod.deletion-timeout",
            "5s");
    return new ComputePodRun(config, new ComputePodBuilder(config), pods);
  }

  static ComputePod request() {
    return new ComputePod(
        PLAN, TAG, "registry/substra/user-image:" + TAG, false, true, false, Map.of());
  }

  @Test
  void commandLineQuotesEveryTokenAndUnbuffersPython() {
    assertThat(ComputePodRun.commandLine(List.of("python3", "my function.py", "it's")))
        .isEqualTo(
            "'python3' '-u' 'my function.py' 'it'\\''s'"
                + " '@/substra_internal/cli-args/arguments.txt' 2>&1");
    assertThat(ComputePodRun.commandLine(List.of("./run")))
        .isEqualTo("'./run' '@/substra_internal/cli-args/arguments.txt' 2>&1");
  }

  void kubeletStarts(String name) {
    CompletableFuture.runAsync(
        () -> {
          Pod pod =
              client
                  .pods()
                  .inNamespace("substra")
                  .withName(name)
                  .waitUntilCondition(p -> p != null, 10, TimeUnit.SECONDS);
          pod.setStatus(new PodStatusBuilder().withPhase("Running").build());
          client.pods().inNamespace("substra").resource(pod).updateStatus();
        });
  }

  @Test
  void execsTheEntrypointInThePlansPodAndCapturesItsOutput() throws Exception {
    String name = ComputePodBuilder.podName(PLAN, TAG);
    String command = ComputePodRun.commandLine(ENTRYPOINT);
    kubeletStarts(name);

    Path logs = dir.resolve("logs/task.log");
    ScriptedExecPods pods = new ScriptedExecPods(client, "train rank 0\n", 3);
    int exit = run("10s", pods).run(request(), ENTRYPOINT, logs);

    assertThat(pods.execs)
        .containsExactly(new ScriptedExecPods.Exec(name, name, List.of("/bin/sh", "-c", command)));
    assertThat(exit).isEqualTo(3);
    assertThat(logs).hasContent("train rank 0\n");
    assertThat(client.pods().inNamespace("substra").withName(name).get()).isNotNull();
  }

  @Test
  void aPlanWhoseKeyStartsLikeAnotherPlansGetsAPodOfItsOwn() throws Exception {
    String other = PLAN.substring(0, 9) + "1111-4000-8000-000000000002";
    client
        .pods()
        .inNamespace("substra")
        .resource(
            new ComputePodBuilder(TestConfigs.compute("compute.work-dir", dir.toString()))
                .build(
                    new ComputePod(other, TAG, "registry/x:" + TAG, false, true, false, Map.of())))
        .create();
    String own = ComputePodBuilder.distinctPodName(PLAN, TAG);
    assertThat(own).isNotEqualTo(ComputePodBuilder.podName(other, TAG)).hasSizeLessThan(64);
    kubeletStarts(own);

    ScriptedExecPods pods = new ScriptedExecPods(client, "", 0);
    run("10s", pods).run(request(), ENTRYPOINT, dir.resolve("logs/t.log"));

    assertThat(pods.execs).extracting(ScriptedExecPods.Exec::pod).containsExactly(own);
    assertThat(client.pods().inNamespace("substra").withName(own).get().getMetadata().getLabels())
        .containsEntry("substra.ai/compute-plan-key", PLAN);
  }

  @Test
  void aPodThatNeverRunsIsOurErrorAndIsDeleted() {
    assertThatThrownBy(() -> run("1s").run(request(), ENTRYPOINT, dir.resolve("logs/t.log")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("compute pod");
    assertThat(client.pods().inNamespace("substra").list().getItems()).isEmpty();
  }

  /** The plan's pod as a kubelet started it {@code age} ago; {@code phase} is where it is now. */
  Pod existingPod(Duration age, String phase) {
    Pod pod =
        client
            .pods()
            .inNamespace("substra")
            .resource(
                new ComputePodBuilder(TestConfigs.compute("compute.work-dir", dir.toString()))
                    .build(request()))
            .create();
    pod.setStatus(
        new PodStatusBuilder()
            .withPhase(phase)
            .withStartTime(Instant.now().minus(age).toString())
            .build());
    return client.pods().inNamespace("substra").resource(pod).updateStatus();
  }

  /** Starts the pod of that name that is not {@code old}. */
  CompletableFuture<Pod> kubeletStartsAnother(Pod old) {
    String name = old.getMetadata().getName();
    return CompletableFuture.supplyAsync(
        () -> {
          Pod pod =
              client
                  .pods()
                  .inNamespace("substra")
                  .withName(name)
                  .waitUntilCondition(
                      p ->
                          p != null && !p.getMetadata().getUid().equals(old.getMetadata().getUid()),
                      10,
                      TimeUnit.SECONDS);
          pod.setStatus(new PodStatusBuilder().withPhase("Running").build());
          return client.pods().inNamespace("substra").resource(pod).updateStatus();
        });
  }

  @Test
  void aPodWithTheWholeTimeLimitOfATaskLeftIsReused() throws Exception {
    // the default deadline is 48h, the task limit 24h: 47h left
    Pod old = existingPod(Duration.ofHours(1), "Running");
    ScriptedExecPods pods = new ScriptedExecPods(client, "", 0);

    run("10s", pods).run(request(), ENTRYPOINT, dir.resolve("logs/t.log"));

    assertThat(pods.execs).hasSize(1);
    assertThat(client.pods().inNamespace("substra").withName(old.getMetadata().getName()).get())
        .extracting(p -> p.getMetadata().getUid())
        .isEqualTo(old.getMetadata().getUid());
  }

  @Test
  void aPodThatWouldReachItsDeadlineDuringTheTaskIsReplacedFirst() throws Exception {
    // 18h left of its 48h: less than the 24h a task may take
    Pod old = existingPod(Duration.ofHours(30), "Running");
    CompletableFuture<Pod> fresh = kubeletStartsAnother(old);
    ScriptedExecPods pods = new ScriptedExecPods(client, "", 0);

    run("10s", pods).run(request(), ENTRYPOINT, dir.resolve("logs/t.log"));

    Pod replacement = fresh.get(10, TimeUnit.SECONDS);
    assertThat(replacement.getSpec().getActiveDeadlineSeconds()).isEqualTo(48 * 3600L);
    assertThat(pods.execs)
        .extracting(ScriptedExecPods.Exec::pod)
        .containsExactly(old.getMetadata().getName());
    assertThat(client.pods().inNamespace("substra").list().getItems())
        .extracting(p -> p.getMetadata().getUid())
        .containsExactly(replacement.getMetadata().getUid());
  }

  @Test
  void aPodThatEndedAtItsDeadlineIsReplacedInsteadOfFailingTheTask() throws Exception {
    Pod old = existingPod(Duration.ofHours(48), "Failed");
    CompletableFuture<Pod> fresh = kubeletStartsAnother(old);
    ScriptedExecPods pods = new ScriptedExecPods(client, "done\n", 0);

    int exit = run("10s", pods).run(request(), ENTRYPOINT, dir.resolve("logs/t.log"));

    assertThat(exit).isZero();
    assertThat(fresh.get(10, TimeUnit.SECONDS).getMetadata().getUid())
        .isNotEqualTo(old.getMetadata().getUid());
  }

  @Test
  void aTaskOutlivingItsTimeLimitHasItsPodDeleted() throws Exception {
    String name = ComputePodBuilder.podName(PLAN, TAG);
    kubeletStarts(name);
    ScriptedExecPods pods = new ScriptedExecPods(client, "", 0);
    pods.outlivesItsTime = true;

    assertThatThrownBy(() -> run("10s", pods).run(request(), ENTRYPOINT, dir.resolve("logs/t.log")))
        .isInstanceOfSatisfying(
            ComputePodRun.TimeLimitExceeded.class,
            e -> assertThat(e.limit()).isEqualTo(Duration.ofHours(24)));
    assertThat(client.pods().inNamespace("substra").withName(name).get()).isNull();
  }

  @Test
  void stopDeletesThePlansPods() throws Exception {
    String name = ComputePodBuilder.podName(PLAN, TAG);
    client
        .pods()
        .inNamespace("substra")
        .resource(
            new ComputePodBuilder(TestConfigs.compute("compute.work-dir", dir.toString()))
                .build(request()))
        .create();
    run("1s").stop(PLAN);
    assertThat(client.pods().inNamespace("substra").withName(name).get()).isNull();
  }
}
