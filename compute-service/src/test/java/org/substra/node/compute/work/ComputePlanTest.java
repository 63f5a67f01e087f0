package org.substra.node.compute.work;

import static org.assertj.core.api.Assertions.assertThat;
import static org.substra.node.compute.testing.TestNetwork.dataInputs;
import static org.substra.node.compute.testing.TestNetwork.modelTask;
import static org.substra.node.compute.testing.TestNetwork.task;
import static org.substra.node.testing.AssetMessages.assetInput;
import static org.substra.node.testing.AssetMessages.input;
import static org.substra.node.testing.AssetMessages.output;
import static org.substra.node.testing.AssetMessages.parentInput;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.substra.node.compute.staging.AssetCache;
import org.substra.node.compute.staging.Checksums;
import org.substra.node.compute.testing.Dispatcher;
import org.substra.node.compute.testing.NetworkAndQueues;
import org.substra.node.compute.testing.RealOrchestrator;
import org.substra.node.compute.testing.TestNetwork;
import org.substra.node.orchestrator.protocol.AssetKind;
import org.substra.node.orchestrator.protocol.ComputeTaskStatus;
import org.substra.node.orchestrator.protocol.ErrorType;
import org.substra.node.orchestrator.protocol.FailureReport;
import org.substra.node.orchestrator.protocol.FunctionInput;
import org.substra.node.orchestrator.protocol.FunctionStatus;
import org.substra.node.orchestrator.protocol.Model;
import org.substra.node.testing.Dependency;
import org.substra.node.testing.WithLocalDependencies;

/**
 * Whole plans through compute-service: work messages as event-service publishes them, the real
 * orchestrator deciding every state, the real object storage, functions run as Python processes.
 */
@QuarkusTest
@WithLocalDependencies({Dependency.RABBITMQ, Dependency.OBJECT_STORAGE})
@WithTestResource(RealOrchestrator.class)
class ComputePlanTest extends NetworkAndQueues {

  static void await(String what, Duration timeout, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(50);
    }
  }

  String train() throws Exception {
    Map<String, FunctionInput> inputs = dataInputs();
    inputs.put("models", input(AssetKind.ASSET_MODEL, true, true));
    return network.builtFunction(
        queues, "train", inputs, Map.of("model", output(AssetKind.ASSET_MODEL)));
  }

  ComputeTaskStatus awaitFinal(String task) throws InterruptedException {
    await(
        "task " + task + " final",
        Duration.ofSeconds(60),
        () -> {
          ComputeTaskStatus status = network.getTask(task).getStatus();
          return status == ComputeTaskStatus.STATUS_DONE
              || status == ComputeTaskStatus.STATUS_FAILED
              || status == ComputeTaskStatus.STATUS_CANCELED;
        });
    return network.getTask(task).getStatus();
  }

  @Test
  void trainAggregatePredictScoreRunsToDoneWithModelsAndPerformance() throws Exception {
    queues.purge();
    String train = train();
    String aggregate =
        network.builtFunction(
            queues,
            "aggregate",
            Map.of("models", input(AssetKind.ASSET_MODEL, true, false)),
            Map.of("model", output(AssetKind.ASSET_MODEL)));
    Map<String, FunctionInput> predictInputs = dataInputs();
    predictInputs.put("models", input(AssetKind.ASSET_MODEL, false, false));
    String predict =
        network.builtFunction(
            queues, "predict", predictInputs, Map.of("predictions", output(AssetKind.ASSET_MODEL)));
    Map<String, FunctionInput> scoreInputs = dataInputs();
    scoreInputs.put("predictions", input(AssetKind.ASSET_MODEL, false, false));
    String score =
        network.builtFunction(
            queues,
            "score",
            scoreInputs,
            Map.of("performance", output(AssetKind.ASSET_PERFORMANCE)));

    String dataManager = network.dataManager();
    String zipped = network.dataSample(dataManager, "1", null);
    Path serverDir = Files.createTempDirectory(SERVER_ROOT, "server-sample");
    String byPath = network.dataSample(dataManager, "2", serverDir);

    String plan = network.plan("train-aggregate-predict-score");
    var trainTask =
        task(plan, train, "model")
            .addInputs(assetInput("opener", dataManager))
            .addInputs(assetInput("datasamples", zipped))
            .addInputs(assetInput("datasamples", byPath));
    var aggregateTask =
        task(plan, aggregate, "model")
            .setWorker(TestNetwork.ORG1)
            .addInputs(parentInput("models", trainTask.getKey(), "model"));
    var predictTask =
        task(plan, predict, "predictions")
            .addInputs(assetInput("opener", dataManager))
            .addInputs(assetInput("datasamples", zipped))
            .addInputs(assetInput("datasamples", byPath))
            .addInputs(parentInput("models", aggregateTask.getKey(), "model"));
    var scoreTask =
        task(plan, score, "performance")
            .addInputs(assetInput("opener", dataManager))
            .addInputs(assetInput("datasamples", zipped))
            .addInputs(parentInput("predictions", predictTask.getKey(), "predictions"));
    network.register(trainTask, aggregateTask, predictTask, scoreTask);

    try (Dispatcher dispatcher = new Dispatcher(network, queues, plan)) {
      assertThat(awaitFinal(scoreTask.getKey())).isEqualTo(ComputeTaskStatus.STATUS_DONE);
    }
    for (var task : List.of(trainTask, aggregateTask, predictTask, scoreTask)) {
      assertThat(network.getTask(task.getKey()).getStatus())
          .isEqualTo(ComputeTaskStatus.STATUS_DONE);
    }
    // samples 1 and 2: train 3, aggregate 3, predictions 3 x 2 samples = 6, score = predictions
    List<Model> trained = network.models(trainTask.getKey());
    assertThat(trained).hasSize(1);
    byte[] model = network.get("substra-model", "models/" + trained.get(0).getKey() + "/model");
    assertThat(new String(model, StandardCharsets.UTF_8)).isEqualTo("3.0");
    Path copy = Files.createTempFile("model", "");
    Files.write(copy, model);
    assertThat(trained.get(0).getAddress().getChecksum())
        .isEqualTo(Checksums.model(copy, trainTask.getKey()));
    assertThat(trained.get(0).getAddress().getStorageAddress())
        .endsWith("/model/" + trained.get(0).getKey() + "/file/");
    assertThat(network.performances(scoreTask.getKey()))
        .singleElement()
        .satisfies(
            performance -> {
              assertThat(performance.getPerformanceValue()).isEqualTo(6.0f);
              assertThat(performance.getComputeTaskOutputIdentifier()).isEqualTo("performance");
            });

    // the plan is over: its teardown removes its work directory
    Path planDir = Path.of("target", "work", plan);
    assertThat(planDir.resolve("logs")).isDirectory();
    queues.teardown(TestNetwork.CHANNEL, plan, "PLAN_STATUS_DONE");
    await("the plan's directory gone", Duration.ofSeconds(10), () -> !Files.exists(planDir));
  }

  /** {@code compute.data-sample-root} of the test profile. */
  static final Path SERVER_ROOT = Path.of("target", "servermedias");

  static {
    try {
      Files.createDirectories(SERVER_ROOT);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void aDataSampleThatIsAnArchiveBombFailsItsTaskAndLeavesNothingInTheCache() throws Exception {
    queues.purge();
    String train = train();
    String dataManager = network.dataManager();
    // 64 MiB of zeros in 64 KiB, registered with its true checksum: only the bounds refuse it
    byte[] zeros = new byte[64 * 1024 * 1024];
    String sample =
        network.dataSample(
            dataManager,
            TestNetwork.zip(Map.of("zeros.bin", zeros)),
            Checksums.sha256(Checksums.sha256(zeros).getBytes(StandardCharsets.UTF_8)));
    String plan = network.plan("bomb");
    var task = modelTask(plan, train, dataManager, sample);
    network.register(task);

    try (Dispatcher dispatcher = new Dispatcher(network, queues, plan)) {
      assertThat(awaitFinal(task.getKey())).isEqualTo(ComputeTaskStatus.STATUS_FAILED);
    }
    assertThat(network.failureReport(task.getKey()).getErrorType())
        .isEqualTo(ErrorType.ERROR_TYPE_INTERNAL);
    try (var cached = Files.list(Path.of("target", "work", "asset_buffer", "data_samples"))) {
      assertThat(cached.map(p -> p.getFileName().toString()))
          .noneMatch(name -> name.startsWith(sample));
    }
  }

  @Test
  void aSampleFolderHoldingALinkFailsItsTaskWithoutReadingIt() throws Exception {
    queues.purge();
    String train = train();
    String dataManager = network.dataManager();
    Path folder = Files.createTempDirectory(SERVER_ROOT, "linked-sample");
    String sample = network.dataSample(dataManager, "1", folder);
    // linked once registered: compute-service checks again what api-service checked. The file
    // linked to holds what was registered, so that only the link check refuses it.
    Path secret = Files.writeString(Files.createTempFile("secret", ""), "1");
    Files.delete(folder.resolve("value.txt"));
    Files.createSymbolicLink(folder.resolve("value.txt"), secret);
    String plan = network.plan("linked");
    var task = modelTask(plan, train, dataManager, sample);
    network.register(task);

    try (Dispatcher dispatcher = new Dispatcher(network, queues, plan)) {
      assertThat(awaitFinal(task.getKey())).isEqualTo(ComputeTaskStatus.STATUS_FAILED);
    }
    assertThat(network.failureReport(task.getKey()).getErrorType())
        .isEqualTo(ErrorType.ERROR_TYPE_INTERNAL);
  }

  @Test
  void aFunctionExitingNonZeroFailsItsTaskWithItsLogsStored() throws Exception {
    queues.purge();
    String fail = network.builtFunction(queues, "fail");
    var failing = network.oneTaskPlan("failing", fail, "1");
    String plan = failing.getComputePlanKey();

    try (Dispatcher dispatcher = new Dispatcher(network, queues, plan)) {
      assertThat(awaitFinal(failing.getKey())).isEqualTo(ComputeTaskStatus.STATUS_FAILED);
    }
    FailureReport report = network.failureReport(failing.getKey());
    assertThat(report.getErrorType()).isEqualTo(ErrorType.ERROR_TYPE_EXECUTION);
    assertThat(report.getLogsAddress().getStorageAddress())
        .endsWith("/logs/" + failing.getKey() + "/file/");
    byte[] logs = network.get("substra-asset-logs", failing.getKey());
    assertThat(new String(logs, StandardCharsets.UTF_8))
        .contains("something went wrong on purpose")
        .contains("fail rank 0");
    assertThat(report.getLogsAddress().getChecksum()).isEqualTo(Checksums.sha256(logs));
  }

  @Test
  void anArchiveWithoutDockerfileFailsTheBuildWithBuildError() throws Exception {
    queues.purge();
    byte[] archive = TestNetwork.zip(Map.of("function.py", "print('hi')".getBytes()));
    String key =
        network.function(
            "no-dockerfile", archive, dataInputs(), Map.of("model", output(AssetKind.ASSET_MODEL)));
    queues.build(TestNetwork.CHANNEL, key, TestNetwork.ORG1);
    await(
        "function failed",
        Duration.ofSeconds(30),
        () -> network.getFunction(key).getStatus() == FunctionStatus.FUNCTION_STATUS_FAILED);
    FailureReport report = network.failureReport(key);
    assertThat(report.getErrorType()).isEqualTo(ErrorType.ERROR_TYPE_BUILD);
    assertThat(new String(network.get("substra-asset-logs", key), StandardCharsets.UTF_8))
        .contains("no Dockerfile");
  }

  @Test
  void aFunctionThatCannotBeBuiltAgainForItsTaskFailsTheTaskWithBuildError() throws Exception {
    queues.purge();
    String noop = network.builtFunction(queues, "noop");
    // this replica lost what the build made, and the stored archive is not the registered one
    AssetCache.deleteTree(Path.of("target", "work", "functions", noop));
    network.put(
        "substra-function",
        noop + "/archive",
        TestNetwork.zip(Map.of("Dockerfile", "FROM scratch\n".getBytes())),
        Map.of());
    var task = network.oneTaskPlan("rebuilt", noop, "1");
    String plan = task.getComputePlanKey();

    try (Dispatcher dispatcher = new Dispatcher(network, queues, plan)) {
      assertThat(awaitFinal(task.getKey())).isEqualTo(ComputeTaskStatus.STATUS_FAILED);
    }
    FailureReport report = network.failureReport(task.getKey());
    assertThat(report.getErrorType()).isEqualTo(ErrorType.ERROR_TYPE_BUILD);
    assertThat(new String(network.get("substra-asset-logs", task.getKey()), StandardCharsets.UTF_8))
        .contains("The function archive's sha256 is");
  }

  @Test
  void aCancelledPlanStopsItsRunningProcessThenIsTornDown() throws Exception {
    queues.purge();
    String sleep = network.builtFunction(queues, "sleep");
    var sleeping = network.oneTaskPlan("cancelled", sleep, "1");
    String plan = sleeping.getComputePlanKey();

    Path logs = Path.of("target", "work", plan, "logs", sleeping.getKey() + ".log");
    Path pidFile = Path.of("target", "work", plan, "process.pid");
    List<ProcessHandle> sandbox;
    try (Dispatcher dispatcher = new Dispatcher(network, queues, plan)) {
      await("the function process started", Duration.ofSeconds(30), () -> pid(logs).isPresent());
      // the pid the function prints is its sandbox's; on this host its whole tree is what must go
      ProcessHandle started =
          ProcessHandle.of(Long.parseLong(Files.readString(pidFile).trim())).orElseThrow();
      sandbox = Stream.concat(Stream.of(started), started.descendants()).toList();
      assertThat(sandbox).hasSizeGreaterThan(1).allMatch(ProcessHandle::isAlive);
      network.cancelPlan(plan);
      // as event-service publishes them: the cancel, then the teardown behind the running task
      queues.cancel(TestNetwork.CHANNEL, plan);
      queues.teardown(TestNetwork.CHANNEL, plan, "PLAN_STATUS_CANCELED");
      assertThat(awaitFinal(sleeping.getKey())).isEqualTo(ComputeTaskStatus.STATUS_CANCELED);
    }
    await(
        "the sandbox and all its processes gone",
        Duration.ofSeconds(10),
        () -> sandbox.stream().noneMatch(ProcessHandle::isAlive));
    await(
        "the plan's directory gone",
        Duration.ofSeconds(10),
        () -> !Files.exists(Path.of("target", "work", plan)));
  }

  @Test
  void aTransientModelIsDroppedOnceItsConsumerEnded() throws Exception {
    queues.purge();
    String train = train();
    String dataManager = network.dataManager();
    String sample = network.dataSample(dataManager, "4", null);
    String plan = network.plan("transient");
    var first =
        TestNetwork.transientOutput(
            task(plan, train)
                .addInputs(assetInput("opener", dataManager))
                .addInputs(assetInput("datasamples", sample)),
            "model");
    var second =
        modelTask(plan, train, dataManager, sample)
            .addInputs(parentInput("models", first.getKey(), "model"));
    network.register(first, second);

    try (Dispatcher dispatcher = new Dispatcher(network, queues, plan)) {
      assertThat(awaitFinal(second.getKey())).isEqualTo(ComputeTaskStatus.STATUS_DONE);
    }
    // the second read the first's model: 4 + 4
    String kept = network.models(second.getKey()).get(0).getKey();
    assertThat(new String(network.get("substra-model", "models/" + kept + "/model")))
        .isEqualTo("8.0");
    Model dropped = network.models(first.getKey()).get(0);
    await(
        "the transient model disabled",
        Duration.ofSeconds(10),
        () -> !network.models(first.getKey()).get(0).hasAddress());
    await(
        "the transient model's file removed",
        Duration.ofSeconds(10),
        () -> {
          try {
            network.get("substra-model", "models/" + dropped.getKey() + "/model");
            return false;
          } catch (Exception gone) {
            return true;
          }
        });
  }

  @Test
  void aTaskWhoseOutputsWereRegisteredBeforeACrashEndsDoneWithoutRunningAgain() throws Exception {
    queues.purge();
    String train = train();
    var task = network.oneTaskPlan("registered-before-crash", train, "5");
    String plan = task.getComputePlanKey();
    String model = network.executingWithModel(task.getKey(), "model");

    // the redelivered message of the interrupted run
    queues.task(TestNetwork.CHANNEL, task.getKey(), plan, train);
    assertThat(awaitFinal(task.getKey())).isEqualTo(ComputeTaskStatus.STATUS_DONE);
    assertThat(network.models(task.getKey())).extracting(Model::getKey).containsExactly(model);
    assertThat(Path.of("target", "work", plan, "logs", task.getKey() + ".log")).doesNotExist();
  }

  @Test
  void aTaskWithOnlySomeOutputsRegisteredBeforeACrashFailsWithoutRunningAgain() throws Exception {
    queues.purge();
    String train =
        network.builtFunction(
            queues,
            "train",
            dataInputs(),
            Map.of(
                "model",
                output(AssetKind.ASSET_MODEL),
                "performance",
                output(AssetKind.ASSET_PERFORMANCE)));
    String dataManager = network.dataManager();
    String sample = network.dataSample(dataManager, "5", null);
    String plan = network.plan("partly-registered-before-crash");
    var task =
        task(plan, train, "model", "performance")
            .addInputs(assetInput("opener", dataManager))
            .addInputs(assetInput("datasamples", sample));
    network.register(task);
    network.executingWithModel(task.getKey(), "model");

    queues.task(TestNetwork.CHANNEL, task.getKey(), plan, train);
    assertThat(awaitFinal(task.getKey())).isEqualTo(ComputeTaskStatus.STATUS_FAILED);
    assertThat(network.failureReport(task.getKey()).getErrorType())
        .isEqualTo(ErrorType.ERROR_TYPE_INTERNAL);
    assertThat(network.models(task.getKey())).hasSize(1);
    assertThat(network.performances(task.getKey())).isEmpty();
    assertThat(Path.of("target", "work", plan, "logs", task.getKey() + ".log")).doesNotExist();
  }

  static Optional<Long> pid(Path logs) {
    try {
      Matcher found = Pattern.compile("pid (\\d+)").matcher(Files.readString(logs));
      return found.find() ? Optional.of(Long.parseLong(found.group(1))) : Optional.empty();
    } catch (java.io.IOException e) {
      return Optional.empty();
    }
  }

  static Map<String, FunctionInput> ordered(Map<String, FunctionInput> inputs) {
    return new LinkedHashMap<>(inputs);
  }
}
