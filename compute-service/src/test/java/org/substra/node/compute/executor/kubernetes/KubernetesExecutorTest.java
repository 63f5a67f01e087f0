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
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.substra.node.compute.config.ComputeConfig;
import org.substra.node.compute.config.TestConfigs;
import org.substra.node.compute.executor.BuildFailure;
import org.substra.node.compute.executor.Executor;
import org.substra.node.compute.executor.TaskRun;
import org.substra.node.compute.kubernetes.ComputePodBuilder;
import org.substra.node.compute.staging.TaskWorkspace;
import org.substra.node.compute.testing.OneArchive;
import org.substra.node.compute.work.PlanTeardown;
import org.substra.node.orchestrator.protocol.AssetKind;
import org.substra.node.orchestrator.protocol.Function;
import org.substra.node.orchestrator.protocol.FunctionOutput;
import org.substra.node.testing.RegistryStandIn;

/**
 * Build then run through the executor interface, against the fabric8 mock API server and a registry
 * stand-in.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesExecutorTest {

  static final String PLAN = "7e5c3a1e-0000-4000-8000-000000000002";
  static final String TAG = KanikoBuildTest.TAG;
  static final List<String> ENTRYPOINT =
      List.of("python3", "function.py", "--function-name", "train");

  KubernetesMockServer server;
  KubernetesClient client;
  @TempDir Path workDir;
  RegistryStandIn registry = new RegistryStandIn();
  String startupTimeout = "10s";
  String taskTimeout = "24h";

  /** Owners of the function archives fetched, one per fetch. */
  final List<String> archivesFetched = new CopyOnWriteArrayList<>();

  /** The files of the Kaniko context directory while its pod existed. */
  volatile List<String> kanikoContext;

  @AfterEach
  void stopRegistry() {
    registry.close();
  }

  /** Sets the phase of {@code pod} once it exists; a Kaniko pod that succeeds has pushed. */
  CompletableFuture<Pod> kubelet(String pod, String phase) {
    return CompletableFuture.supplyAsync(
        () -> {
          Pod found =
              client
                  .pods()
                  .inNamespace("substra")
                  .withName(pod)
                  .waitUntilCondition(p -> p != null, 10, TimeUnit.SECONDS);
          if (pod.startsWith("kaniko-")) {
            kanikoContext = contextFiles(found);
          }
          if (pod.startsWith("kaniko-") && phase.equals("Succeeded")) {
            registry.push(TAG, ENTRYPOINT, null);
          }
          found.setStatus(new PodStatusBuilder().withPhase(phase).build());
          return client.pods().inNamespace("substra").resource(found).updateStatus();
        });
  }

  static List<String> contextFiles(Pod kaniko) {
    String context =
        kaniko.getSpec().getContainers().get(0).getArgs().stream()
            .filter(arg -> arg.startsWith("--context=dir://"))
            .findFirst()
            .orElseThrow()
            .substring("--context=dir://".length());
    try (Stream<Path> files = Files.list(Path.of(context))) {
      return files.map(file -> file.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  KubernetesExecutor executor(ScriptedExecPods pods, String... registrySettings)
      throws IOException {
    ComputeConfig config =
        TestConfigs.compute(
            "compute.executor",
            "kubernetes",
            "compute.work-dir",
            workDir.toString(),
            "compute.kubernetes.namespace",
            "substra",
            "compute.pod.startup-timeout",
            startupTimeout,
            "compute.pod.deletion-timeout",
            "5s",
            "compute.limits.timeout",
            taskTimeout);
    String[] settings = new String[6 + registrySettings.length];
    System.arraycopy(
        new String[] {
          "node.registry.local", "false",
          "node.registry.address", registry.address(),
          "node.registry.docker-config", workDir.resolve("no-docker-config.json").toString()
        },
        0,
        settings,
        0,
        6);
    System.arraycopy(registrySettings, 0, settings, 6, registrySettings.length);
    return new KubernetesExecutor(
        config,
        TestConfigs.registry(settings),
        new OneArchive(function -> KanikoBuildTest.ARCHIVE, archivesFetched),
        pods);
  }

  static final Function FUNCTION =
      KanikoBuildTest.FUNCTION.toBuilder()
          .putOutputs("model", FunctionOutput.newBuilder().setKind(AssetKind.ASSET_MODEL).build())
          .build();

  /** The same function, owned by another organization: its image is in its owner's registry. */
  static final Function REMOTE = FUNCTION.toBuilder().setOwner("MyOrg2MSP").build();

  @Test
  void aRemoteFunctionWithoutImageHereIsBuiltFromItsArchiveThenTheTaskRunsTheImageCommand()
      throws Exception {
    ScriptedExecPods pods = new ScriptedExecPods(client, "trained\n", 0);
    KubernetesExecutor executor = executor(pods);
    assertThat(executor.isBuilt(REMOTE)).isFalse();

    CompletableFuture<Pod> kaniko = kubelet("kaniko-" + TAG, "Succeeded");
    executor.prepare(REMOTE);

    Path context = workDir.resolve("tmp").resolve("build-" + REMOTE.getKey());
    assertThat(archivesFetched).containsExactly("MyOrg2MSP");
    assertThat(kaniko.get(10, TimeUnit.SECONDS).getSpec().getContainers().get(0).getArgs())
        .contains(
            "--context=dir://" + context,
            "--destination=" + registry.address() + "/" + RegistryStandIn.REPOSITORY + ":" + TAG);
    assertThat(kanikoContext).containsExactly("Dockerfile", "function.py");
    assertThat(context).doesNotExist();
    assertThat(executor.isBuilt(REMOTE)).isTrue();

    String pod = ComputePodBuilder.podName(PLAN, TAG);
    kubelet(pod, "Running");
    TaskWorkspace workspace = TaskWorkspace.of(workDir, PLAN);
    workspace.reset();
    Executor.Execution execution = executor.execute(new TaskRun(PLAN, "task-1", REMOTE, workspace));

    assertThat(pods.execs)
        .containsExactly(
            new ScriptedExecPods.Exec(
                pod, pod, List.of("/bin/sh", "-c", ComputePodRun.commandLine(ENTRYPOINT))));
    assertThat(execution.exitCode()).isZero();
    assertThat(pods.created).containsExactly("kaniko-" + TAG, pod);
  }

  @Test
  void aRemoteFunctionWhoseImageIsInTheRegistryIsNotBuilt() throws Exception {
    registry.push(TAG, ENTRYPOINT, null);
    KubernetesExecutor executor = executor(new ScriptedExecPods(client, "", 0));

    executor.prepare(REMOTE);

    assertThat(executor.isBuilt(REMOTE)).isTrue();
    assertThat(archivesFetched).isEmpty();
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void concurrentTasksNeedingTheSameAbsentImageBuildItOnce() throws Exception {
    ScriptedExecPods pods = new ScriptedExecPods(client, "", 0);
    KubernetesExecutor executor = executor(pods);
    CompletableFuture<Pod> kaniko = kubelet("kaniko-" + TAG, "Succeeded");
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      List<Future<Object>> tasks = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        tasks.add(
            threads.submit(
                () -> {
                  start.await();
                  executor.prepare(REMOTE);
                  return null;
                }));
      }
      start.countDown();
      for (Future<Object> task : tasks) {
        task.get(30, TimeUnit.SECONDS);
      }
    } finally {
      threads.shutdownNow();
    }
    assertThat(kaniko.get(10, TimeUnit.SECONDS)).isNotNull();
    assertThat(archivesFetched).containsExactly("MyOrg2MSP");
    assertThat(pods.created).containsExactly("kaniko-" + TAG);
    assertThat(executor.isBuilt(REMOTE)).isTrue();
  }

  @Test
  void aFailedKanikoBuildOfARemoteFunctionIsABuildFailureWithTheKanikoLogs() throws Exception {
    ScriptedExecPods pods = new ScriptedExecPods(client, "", 0);
    pods.kanikoLogs = "error building image: COPY failed: no source files\n";
    KubernetesExecutor executor = executor(pods);
    kubelet("kaniko-" + TAG, "Failed");

    assertThatThrownBy(() -> executor.prepare(REMOTE))
        .isInstanceOfSatisfying(
            BuildFailure.class,
            failure -> assertThat(failure.logs()).contains("COPY failed: no source files"));
    assertThat(executor.isBuilt(REMOTE)).isFalse();
    assertThat(client.pods().inNamespace("substra").list().getItems()).isEmpty();
  }

  @Test
  void anImageLostFromTheRegistryIsBuiltAgainWhenItsComputePodCannotStart() throws Exception {
    registry.push(TAG, ENTRYPOINT, null);
    startupTimeout = "1s";
    ScriptedExecPods pods = new ScriptedExecPods(client, "", 0);
    KubernetesExecutor executor = executor(pods);
    executor.prepare(FUNCTION);
    registry.reset();

    // no kubelet: the image cannot be pulled, the pod never runs
    TaskWorkspace workspace = TaskWorkspace.of(workDir, PLAN);
    workspace.reset();
    assertThatThrownBy(() -> executor.execute(new TaskRun(PLAN, "task-1", FUNCTION, workspace)))
        .isInstanceOf(ComputePodRun.NotStarted.class);
    assertThat(executor.isBuilt(FUNCTION)).isFalse();

    CompletableFuture<Pod> kaniko = kubelet("kaniko-" + TAG, "Succeeded");
    executor.prepare(FUNCTION);
    assertThat(kaniko.get(10, TimeUnit.SECONDS)).isNotNull();
    assertThat(executor.isBuilt(FUNCTION)).isTrue();
    assertThat(pods.execs).isEmpty();
  }

  @Test
  void aTaskWithChainkeysGetsAComputePodMountingThem() throws Exception {
    registry.push(TAG, ENTRYPOINT, null);
    KubernetesExecutor executor = executor(new ScriptedExecPods(client, "", 0));
    String pod = ComputePodBuilder.podName(PLAN, TAG);
    CompletableFuture<Pod> running = kubelet(pod, "Running");
    TaskWorkspace workspace = TaskWorkspace.of(workDir, PLAN);
    workspace.reset();

    executor.execute(new TaskRun(PLAN, "task-1", FUNCTION, workspace, true));

    assertThat(running.get(10, TimeUnit.SECONDS).getSpec().getContainers().get(0).getVolumeMounts())
        .anySatisfy(
            mount -> assertThat(mount.getMountPath()).isEqualTo("/substra_internal/chainkeys"));
  }

  @Test
  void theComputePodGivesScratchWhereTheImageRunsItsFunction() throws Exception {
    // the stand-in's images have WORKDIR /sandbox
    registry.push(TAG, ENTRYPOINT, null);
    KubernetesExecutor executor = executor(new ScriptedExecPods(client, "", 0));
    CompletableFuture<Pod> running = kubelet(ComputePodBuilder.podName(PLAN, TAG), "Running");
    TaskWorkspace workspace = TaskWorkspace.of(workDir, PLAN);
    workspace.reset();

    executor.execute(new TaskRun(PLAN, "task-1", FUNCTION, workspace));

    var container = running.get(10, TimeUnit.SECONDS).getSpec().getContainers().get(0);
    assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(container.getVolumeMounts())
        .filteredOn(mount -> mount.getName().equals("scratch"))
        .extracting(mount -> mount.getMountPath())
        .containsExactly("/tmp", "/sandbox/model", "/sandbox/chainkeys");
  }

  @Test
  void aTaskPastItsTimeLimitFailsNamingTheLimitAndTheNextTaskGetsAFreshPod() throws Exception {
    registry.push(TAG, ENTRYPOINT, null);
    taskTimeout = "90m";
    ScriptedExecPods pods = new ScriptedExecPods(client, "epoch 1\n", 0);
    pods.outlivesItsTime = true;
    KubernetesExecutor executor = executor(pods);
    String pod = ComputePodBuilder.podName(PLAN, TAG);
    CompletableFuture<Pod> first = kubelet(pod, "Running");
    TaskWorkspace workspace = TaskWorkspace.of(workDir, PLAN);
    workspace.reset();

    Executor.Execution execution =
        executor.execute(new TaskRun(PLAN, "task-1", FUNCTION, workspace));

    assertThat(pods.execTimeouts).containsExactly(Duration.ofMinutes(90));
    assertThat(execution.limitExceeded())
        .contains("the task exceeded its wall-clock time limit of 1h30m (compute.limits.timeout)");
    assertThat(execution.stopped()).isFalse();
    assertThat(execution.logs()).hasContent("epoch 1\n");
    // deleting the pod is what stops the command the exec left running
    assertThat(client.pods().inNamespace("substra").withName(pod).get()).isNull();

    pods.outlivesItsTime = false;
    CompletableFuture<Pod> second = kubelet(pod, "Running");
    workspace.reset();
    Executor.Execution next = executor.execute(new TaskRun(PLAN, "task-2", FUNCTION, workspace));

    assertThat(next.limitExceeded()).isEmpty();
    assertThat(next.exitCode()).isZero();
    assertThat(second.get(10, TimeUnit.SECONDS).getMetadata().getUid())
        .isNotEqualTo(first.get(10, TimeUnit.SECONDS).getMetadata().getUid());
  }

  @Test
  void anAbsentImageIsBuiltWithKanikoThenTheImageCommandIsExecdInTheComputePod() throws Exception {
    ScriptedExecPods pods = new ScriptedExecPods(client, "trained\n", 0);
    KubernetesExecutor executor = executor(pods);

    CompletableFuture<Pod> kaniko = kubelet("kaniko-" + TAG, "Succeeded");
    executor.build(FUNCTION);
    assertThat(kaniko.get(10, TimeUnit.SECONDS).getMetadata().getLabels())
        .containsEntry("substra.ai/pod-type", "image-build");
    assertThat(executor.isBuilt(FUNCTION)).isTrue();

    String pod = ComputePodBuilder.podName(PLAN, TAG);
    kubelet(pod, "Running");
    TaskWorkspace workspace = TaskWorkspace.of(workDir, PLAN);
    workspace.reset();
    Executor.Execution execution =
        executor.execute(new TaskRun(PLAN, "task-1", FUNCTION, workspace));

    assertThat(pods.execs)
        .containsExactly(
            new ScriptedExecPods.Exec(
                pod, pod, List.of("/bin/sh", "-c", ComputePodRun.commandLine(ENTRYPOINT))));
    assertThat(execution.exitCode()).isZero();
    assertThat(execution.stopped()).isFalse();
    assertThat(execution.limitExceeded()).isEmpty();
    assertThat(execution.logs()).hasContent("trained\n");
    // one task's exec is bounded by compute.limits.timeout
    assertThat(pods.execTimeouts).containsExactly(Duration.ofHours(24));
    assertThat(executor.sandboxPath(workspace.folder("perf"), "perf"))
        .isEqualTo("/substra_internal/perf");
  }

  @Test
  void anImageInTheRegistryIsNotBuiltAndItsEntrypointAndCmdAreRun() throws Exception {
    registry.push(TAG, List.of("python3", "function.py"), List.of("--function-name", "train"));
    ScriptedExecPods pods = new ScriptedExecPods(client, "", 0);
    KubernetesExecutor executor = executor(pods);

    executor.build(FUNCTION);

    assertThat(executor.isBuilt(FUNCTION)).isTrue();
    // not one call to the API server: no Kaniko pod was even asked for
    assertThat(server.getRequestCount()).isZero();

    String pod = ComputePodBuilder.podName(PLAN, TAG);
    kubelet(pod, "Running");
    TaskWorkspace workspace = TaskWorkspace.of(workDir, PLAN);
    workspace.reset();
    executor.execute(new TaskRun(PLAN, "task-1", FUNCTION, workspace));
    assertThat(pods.execs.get(0).command())
        .containsExactly("/bin/sh", "-c", ComputePodRun.commandLine(ENTRYPOINT));
  }

  @Test
  void aReplicaThatDidNotBuildReadsTheCommandFromTheRegistryBeforeRunning() throws Exception {
    registry.push(TAG, ENTRYPOINT, null);
    ScriptedExecPods pods = new ScriptedExecPods(client, "", 3);
    KubernetesExecutor executor = executor(pods);
    assertThat(executor.isBuilt(FUNCTION)).isFalse();

    String pod = ComputePodBuilder.podName(PLAN, TAG);
    kubelet(pod, "Running");
    TaskWorkspace workspace = TaskWorkspace.of(workDir, PLAN);
    workspace.reset();
    Executor.Execution execution =
        executor.execute(new TaskRun(PLAN, "task-1", FUNCTION, workspace));

    assertThat(execution.exitCode()).isEqualTo(3);
    assertThat(pods.execs.get(0).command().get(2)).isEqualTo(ComputePodRun.commandLine(ENTRYPOINT));
  }

  @Test
  void anImageWithoutCommandIsABuildError() throws Exception {
    registry.push(TAG, null, null);
    KubernetesExecutor executor = executor(new ScriptedExecPods(client, "", 0));
    assertThatThrownBy(() -> executor.build(FUNCTION))
        .isInstanceOf(BuildFailure.class)
        .hasMessageContaining("no command");
  }

  @Test
  void anUnreachableRegistryFailsTheBuildBeforeAnyPod() throws Exception {
    int port;
    try (ServerSocket closed = new ServerSocket(0)) {
      port = closed.getLocalPort();
    }
    KubernetesExecutor executor =
        executor(
            new ScriptedExecPods(client, "", 0),
            "node.registry.address",
            "127.0.0.1:" + port,
            "node.registry.timeout",
            "1s");
    assertThatThrownBy(() -> executor.build(FUNCTION))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("unreachable");
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void aTeardownDeletesThePlansComputePodsAndDirectoryOnly() throws Exception {
    String other = "1b2c3d4e-0000-4000-8000-000000000003";
    registry.push(TAG, ENTRYPOINT, null);
    KubernetesExecutor executor = executor(new ScriptedExecPods(client, "", 0));
    for (String plan : List.of(PLAN, other)) {
      kubelet(ComputePodBuilder.podName(plan, TAG), "Running");
      TaskWorkspace workspace = TaskWorkspace.of(workDir, plan);
      workspace.reset();
      executor.execute(new TaskRun(plan, "task-of-" + plan, FUNCTION, workspace));
    }
    assertThat(client.pods().inNamespace("substra").list().getItems()).hasSize(2);

    PlanTeardown teardown =
        new PlanTeardown(TestConfigs.compute("compute.work-dir", workDir.toString()));
    assertThat(teardown.tearDown(executor, PLAN)).isTrue();
    // again, as after a redelivery: nothing left to delete
    assertThat(teardown.tearDown(executor, PLAN)).isTrue();

    assertThat(client.pods().inNamespace("substra").list().getItems())
        .extracting(pod -> pod.getMetadata().getName())
        .containsExactly(ComputePodBuilder.podName(other, TAG));
    assertThat(workDir.resolve(PLAN)).doesNotExist();
    assertThat(workDir.resolve(other).resolve("task")).isDirectory();
  }

  @Test
  void aTeardownOfSomethingThatIsNoPlanKeyTouchesNothing() throws Exception {
    KubernetesExecutor executor = executor(new ScriptedExecPods(client, "", 0));
    PlanTeardown teardown =
        new PlanTeardown(TestConfigs.compute("compute.work-dir", workDir.toString()));
    assertThat(teardown.tearDown(executor, "..")).isFalse();
    assertThat(workDir).exists();
    assertThat(server.getRequestCount()).isZero();
  }
}
