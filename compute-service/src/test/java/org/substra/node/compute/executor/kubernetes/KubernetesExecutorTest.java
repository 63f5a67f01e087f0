package org.substra.node.compute.executor.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.substra.node.compute.config.ComputeConfig;
import org.substra.node.compute.config.TestConfigs;
import org.substra.node.compute.executor.Executor;
import org.substra.node.compute.executor.TaskRun;
import org.substra.node.compute.kubernetes.ComputePodBuilder;
import org.substra.node.compute.staging.TaskWorkspace;
import org.substra.node.compute.testing.TestNetwork;
import org.substra.node.orchestrator.protocol.AssetKind;
import org.substra.node.orchestrator.protocol.Function;
import org.substra.node.orchestrator.protocol.FunctionOutput;

/** Build then run through the executor interface, against the fabric8 mock API server. */
@EnableKubernetesMockClient(crud = true)
class KubernetesExecutorTest {

  static final String PLAN = "7e5c3a1e-0000-4000-8000-000000000002";

  KubernetesMockServer server;
  KubernetesClient client;
  @TempDir Path workDir;

  void kubelet(String pod, String phase) {
    CompletableFuture.runAsync(
        () -> {
          Pod found =
              client
                  .pods()
                  .inNamespace("substra")
                  .withName(pod)
                  .waitUntilCondition(p -> p != null, 10, TimeUnit.SECONDS);
          found.setStatus(new PodStatusBuilder().withPhase(phase).build());
          client.pods().inNamespace("substra").resource(found).updateStatus();
        });
  }

  @Test
  void buildsWithKanikoThenExecsTheDockerfileCommandInTheComputePod() throws Exception {
    ComputeConfig config =
        TestConfigs.compute(
            "compute.executor", "kubernetes",
            "compute.work-dir", workDir.toString(),
            "compute.kubernetes.namespace", "substra",
            "compute.pod.startup-timeout", "10s",
            "compute.pod.deletion-timeout", "5s");
    Function function =
        KanikoBuildTest.FUNCTION.toBuilder()
            .putOutputs("model", FunctionOutput.newBuilder().setKind(AssetKind.ASSET_MODEL).build())
            .build();
    ScriptedExecPods pods = new ScriptedExecPods(client, "trained\n", 0);
    KubernetesExecutor executor =
        new KubernetesExecutor(
            config,
            TestConfigs.registry("node.registry.local", "false"),
            new KanikoBuildTest.OneArchive(TestNetwork.functionArchive("train")),
            pods);

    kubelet("kaniko-function-0123456789abcdef", "Succeeded");
    executor.build(function);
    assertThat(executor.isBuilt(function)).isTrue();

    String pod = ComputePodBuilder.podName(PLAN, "function-0123456789abcdef");
    String command =
        ComputePodRun.commandLine(List.of("python3", "function.py", "--function-name", "train"));
    kubelet(pod, "Running");

    TaskWorkspace workspace = TaskWorkspace.of(workDir, PLAN);
    workspace.reset();
    Executor.Execution execution =
        executor.execute(new TaskRun(PLAN, "task-1", function, workspace));

    assertThat(pods.execs)
        .containsExactly(new ScriptedExecPods.Exec(pod, pod, List.of("/bin/sh", "-c", command)));
    assertThat(execution.exitCode()).isZero();
    assertThat(execution.stopped()).isFalse();
    assertThat(execution.logs()).hasContent("trained\n");
    assertThat(executor.sandboxPath(workspace.folder("perf"), "perf"))
        .isEqualTo("/substra_internal/perf");
  }
}
