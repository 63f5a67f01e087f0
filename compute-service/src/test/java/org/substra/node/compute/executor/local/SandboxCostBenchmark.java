package org.substra.node.compute.executor.local;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.substra.node.compute.config.ComputeConfig;
import org.substra.node.compute.config.TestConfigs;
import org.substra.node.compute.executor.Executor.Execution;
import org.substra.node.compute.executor.TaskRun;
import org.substra.node.compute.staging.AssetCache;
import org.substra.node.compute.staging.TaskWorkspace;
import org.substra.node.compute.testing.OneArchive;
import org.substra.node.compute.testing.TestNetwork;
import org.substra.node.orchestrator.protocol.Addressable;
import org.substra.node.orchestrator.protocol.Function;

/**
 * What the sandbox costs a task: the same function run N times by the real local executor,
 * unsandboxed (own function, sandbox off) and sandboxed, from execute() to the process's end; the
 * difference of the medians is the sandbox's cost per task. Also what the alternative to read-only
 * mounts would cost: copying a task's inputs instead of showing them read-only.
 */
public final class SandboxCostBenchmark {

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 50;
    Path work = Files.createTempDirectory("sandbox-bench");
    Path sample = work.resolve("cache/sample");
    Files.createDirectories(sample);
    byte[] megabyte = new byte[1 << 20];
    for (int i = 0; i < 100; i++) {
      Files.write(sample.resolve("part-" + i), megabyte);
    }
    System.out.printf(
        "%-34s %10s %10s %10s%n", "per task (" + runs + " runs)", "p50 ms", "p95 ms", "max ms");
    // both runs use the real interpreter (a pyenv shim on PATH would cost the unsandboxed run
    // a shell script per task)
    String python =
        new LocalExecutor(
                TestConfigs.compute("compute.work-dir", work.toString()),
                new OneArchive(new byte[0]))
            .sandbox()
            .python()
            .toString();
    for (String entrypoint : List.of("/bin/true", "python3")) {
      Map<String, List<Double>> timings = new LinkedHashMap<>();
      for (boolean sandboxed : List.of(false, true)) {
        ComputeConfig config =
            TestConfigs.compute(
                "compute.work-dir",
                work.toString(),
                "compute.msp-id",
                "MyOrg1MSP",
                "compute.local.sandbox.enabled",
                String.valueOf(sandboxed),
                "compute.local.sandbox.allow-unsandboxed-own-functions",
                "true",
                "compute.local.python",
                python);
        LocalExecutor executor = new LocalExecutor(config, new OneArchive(archive(entrypoint)));
        if (sandboxed && executor.sandbox().unavailable().isPresent()) {
          throw new IllegalStateException(executor.sandbox().unavailable().get());
        }
        Function function =
            Function.newBuilder()
                .setKey(UUID.randomUUID().toString())
                .setOwner("MyOrg1MSP")
                .setArchive(Addressable.newBuilder().setChecksum(""))
                .build();
        executor.build(function);
        String plan = UUID.randomUUID().toString();
        TaskWorkspace workspace = TaskWorkspace.of(work, plan);
        List<Double> times = new ArrayList<>();
        for (int i = 0; i < runs + 5; i++) {
          workspace.reset();
          AssetCache.link(sample, workspace.folder("data_samples").resolve("sample"));
          Files.writeString(workspace.argumentsFile(), "");
          long start = System.nanoTime();
          Execution execution =
              executor.execute(
                  new TaskRun(plan, UUID.randomUUID().toString(), function, workspace));
          double ms = (System.nanoTime() - start) / 1e6;
          if (execution.exitCode() != 0) {
            throw new IllegalStateException(
                "exit " + execution.exitCode() + ": " + Files.readString(execution.logs()));
          }
          if (i >= 5) {
            times.add(ms); // the first runs warm the JIT and the page cache
          }
        }
        timings.put((sandboxed ? "sandboxed   " : "unsandboxed ") + entrypoint, times);
      }
      timings.forEach(
          (name, times) -> {
            Collections.sort(times);
            System.out.printf(
                "%-34s %10.1f %10.1f %10.1f%n",
                name, at(times, 0.5), at(times, 0.95), times.get(times.size() - 1));
          });
      List<Double> plain = new ArrayList<>(timings.values()).get(0);
      List<Double> boxed = new ArrayList<>(timings.values()).get(1);
      System.out.printf(
          "%-34s %10.1f   (target < 20 ms)%n",
          "sandbox cost, " + entrypoint, at(boxed, 0.5) - at(plain, 0.5));
    }
    // the alternative to read-only mounts of the shared cache: a private copy of each input
    List<Double> copies = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      Path copy = work.resolve("copy-" + i);
      long start = System.nanoTime();
      Files.createDirectories(copy);
      try (var files = Files.list(sample)) {
        for (Path file : files.toList()) {
          Files.copy(file, copy.resolve(file.getFileName()));
        }
      }
      copies.add((System.nanoTime() - start) / 1e6);
      AssetCache.deleteTree(copy);
    }
    Collections.sort(copies);
    System.out.printf(
        "%-34s %10.1f   (a read-only mount of it: part of the sandbox cost above)%n",
        "copying a 100 MiB input instead", at(copies, 0.5));
    AssetCache.deleteTree(work);
  }

  private static double at(List<Double> sorted, double quantile) {
    return sorted.get((int) Math.min(sorted.size() - 1, Math.floor(quantile * sorted.size())));
  }

  /** A function whose command is {@code entrypoint}: {@code /bin/true}, or an empty Python file. */
  private static byte[] archive(String entrypoint) throws java.io.IOException {
    Map<String, byte[]> files = new LinkedHashMap<>();
    String command =
        entrypoint.equals("python3")
            ? "[\"python3\", \"function.py\"]"
            : "[\"" + entrypoint + "\"]";
    files.put(
        "Dockerfile",
        ("FROM python:3.12-slim\nENTRYPOINT " + command + "\n").getBytes(StandardCharsets.UTF_8));
    files.put("function.py", "pass\n".getBytes(StandardCharsets.UTF_8));
    return TestNetwork.zip(files);
  }
}
