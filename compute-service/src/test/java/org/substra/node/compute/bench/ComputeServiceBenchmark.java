package org.substra.node.compute.bench;

import static org.substra.node.compute.testing.TestNetwork.dataInputs;
import static org.substra.node.compute.testing.TestNetwork.task;
import static org.substra.node.testing.AssetMessages.assetInput;
import static org.substra.node.testing.AssetMessages.input;
import static org.substra.node.testing.AssetMessages.output;
import static org.substra.node.testing.AssetMessages.parentInput;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.substra.node.compute.testing.ComputeServiceProcess;
import org.substra.node.compute.testing.Dispatcher;
import org.substra.node.compute.testing.OrchestratorProcess;
import org.substra.node.compute.testing.TestNetwork;
import org.substra.node.compute.testing.WorkQueues;
import org.substra.node.orchestrator.protocol.AssetKind;
import org.substra.node.orchestrator.protocol.ComputeTaskStatus;
import org.substra.node.orchestrator.protocol.FunctionStatus;
import org.substra.node.orchestrator.protocol.NewComputeTask;
import org.substra.node.testing.PackagedService;

/**
 * A plan of N trivial train tasks, each the parent of the next, run by the packaged compute-service
 * (local executor) against the real orchestrator: task ready (its work message published) →
 * function process started (its first log line, Python start-up included) percentiles, and the
 * plan's wall time from the first message to the last DONE.
 */
public final class ComputeServiceBenchmark {

  private static final Pattern STARTED = Pattern.compile("started (\\d+\\.\\d+)");
  private static final Pattern SPAWNED =
      Pattern.compile("task ([0-9a-f-]{36}): process \\d+ started at (\\d+)");

  public static void main(String[] args) throws Exception {
    int tasks = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    Path workDir = Path.of("target", "bench-work").toAbsolutePath();
    Path serviceLog = Path.of("target", "compute-service-bench.log");
    Files.deleteIfExists(serviceLog);
    OrchestratorProcess.get();
    try (TestNetwork network = new TestNetwork();
        WorkQueues queues = new WorkQueues()) {
      queues.purge();
      PackagedService service = ComputeServiceProcess.start(workDir, serviceLog);
      try {
        var inputs = dataInputs();
        inputs.put("models", input(AssetKind.ASSET_MODEL, true, true));
        String noop =
            network.function(
                "noop",
                TestNetwork.functionArchive("noop"),
                inputs,
                Map.of("model", output(AssetKind.ASSET_MODEL)));
        queues.build(TestNetwork.CHANNEL, noop, TestNetwork.ORG1);
        while (network.getFunction(noop).getStatus() != FunctionStatus.FUNCTION_STATUS_READY) {
          Thread.sleep(20);
        }
        String dataManager = network.dataManager();
        String sample = network.dataSample(dataManager, "1", null);
        String plan = network.plan("bench");
        List<NewComputeTask.Builder> chain = new ArrayList<>();
        for (int i = 0; i < tasks; i++) {
          var next =
              task(plan, noop, "model")
                  .addInputs(assetInput("opener", dataManager))
                  .addInputs(assetInput("datasamples", sample));
          if (i > 0) {
            next.addInputs(parentInput("models", chain.get(i - 1).getKey(), "model"));
          }
          chain.add(next);
        }
        network.register(chain.toArray(NewComputeTask.Builder[]::new));
        String last = chain.get(tasks - 1).getKey();
        Instant begin = Instant.now();
        Map<String, Instant> published;
        try (Dispatcher dispatcher = new Dispatcher(network, queues, plan)) {
          while (network.getTask(last).getStatus() != ComputeTaskStatus.STATUS_DONE) {
            ComputeTaskStatus status = network.getTask(last).getStatus();
            if (status == ComputeTaskStatus.STATUS_FAILED
                || status == ComputeTaskStatus.STATUS_CANCELED
                || Duration.between(begin, Instant.now()).toMinutes() > 10) {
              throw new IllegalStateException("the plan did not finish: " + status);
            }
            Thread.sleep(10);
          }
          published = dispatcher.publishedAt();
        }
        Duration wall = Duration.between(begin, Instant.now());
        List<Double> latencies = new ArrayList<>();
        List<Double> interpreter = new ArrayList<>();
        Map<String, Long> spawned = new java.util.HashMap<>();
        Matcher spawn = SPAWNED.matcher(Files.readString(serviceLog));
        while (spawn.find()) {
          spawned.put(spawn.group(1), Long.parseLong(spawn.group(2)));
        }
        for (var task : chain) {
          Path logs = workDir.resolve(plan).resolve("logs").resolve(task.getKey() + ".log");
          Matcher started = STARTED.matcher(Files.readString(logs));
          Long spawnedAt = spawned.get(task.getKey());
          if (spawnedAt != null && published.containsKey(task.getKey())) {
            latencies.add((double) (spawnedAt - published.get(task.getKey()).toEpochMilli()));
            if (started.find()) {
              interpreter.add(Double.parseDouble(started.group(1)) * 1000 - spawnedAt);
            }
          }
        }
        Collections.sort(latencies);
        Collections.sort(interpreter);
        System.out.printf(
            "plan of %d sequential tasks: %.1f s wall (%.0f ms per task)%n",
            tasks, wall.toMillis() / 1000.0, wall.toMillis() / (double) tasks);
        System.out.printf(
            "task ready -> process started (%d tasks): p50 %.0f ms, p95 %.0f ms, max %.0f ms%n",
            latencies.size(),
            percentile(latencies, 50),
            percentile(latencies, 95),
            latencies.get(latencies.size() - 1));
        System.out.printf(
            "process started -> function's first line (Python start-up): p50 %.0f ms, p95 %.0f ms%n",
            percentile(interpreter, 50), percentile(interpreter, 95));
      } finally {
        service.close();
      }
    } finally {
      // the orchestrator child process stops in its shutdown hook
      System.exit(0);
    }
  }

  static double percentile(List<Double> sorted, int p) {
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }
}
