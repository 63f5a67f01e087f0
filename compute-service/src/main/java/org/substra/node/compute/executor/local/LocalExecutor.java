package org.substra.node.compute.executor.local;

import io.vertx.core.json.JsonArray;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import org.substra.node.compute.config.ComputeConfig;
import org.substra.node.compute.executor.BuildFailure;
import org.substra.node.compute.executor.Executor;
import org.substra.node.compute.executor.TaskRun;
import org.substra.node.compute.staging.Archives;
import org.substra.node.compute.staging.AssetCache;
import org.substra.node.compute.staging.Checksums;
import org.substra.node.compute.staging.TaskWorkspace;
import org.substra.node.compute.storage.AssetSource;
import org.substra.node.orchestrator.protocol.Function;

/**
 * The embedded executor: no image, the function archive is unpacked under {@code
 * <work>/functions/<key>} and its Dockerfile command runs as a local process in that directory,
 * with the same arguments file, workspace folders and merged stdout/stderr log as a compute pod.
 */
@ApplicationScoped
@Typed(LocalExecutor.class)
public class LocalExecutor implements Executor {

  private static final Logger LOG = Logger.getLogger(LocalExecutor.class);
  private static final String COMMAND_FILE = "command.json";

  private final ComputeConfig config;
  private final AssetSource assets;
  private final Path functions;
  private final Map<String, Running> running = new ConcurrentHashMap<>();

  private record Running(Process process, boolean[] stopped) {}

  LocalExecutor(ComputeConfig config, AssetSource assets) {
    this.config = config;
    this.assets = assets;
    this.functions = config.workDir().resolve("functions");
  }

  private Path functionDir(Function function) {
    return functions.resolve(function.getKey());
  }

  @Override
  public boolean isBuilt(Function function) {
    return Files.isRegularFile(functionDir(function).resolve(COMMAND_FILE));
  }

  @Override
  public synchronized void build(Function function) throws IOException, BuildFailure {
    if (isBuilt(function)) {
      return;
    }
    Path staging = functions.resolve(function.getKey() + ".partial-" + System.nanoTime());
    Path archive = staging.resolveSibling(staging.getFileName() + ".archive");
    try {
      assets.functionArchive(function, archive);
      String checksum = Checksums.sha256(archive);
      String expected = function.getArchive().getChecksum();
      if (!expected.isEmpty() && !expected.equals(checksum)) {
        throw new BuildFailure(
            "archive checksum mismatch",
            "The function archive's sha256 is " + checksum + ", registered " + expected + ".");
      }
      Path source = staging.resolve("source");
      try {
        Archives.extract(archive, source, Archives.Bounds.of(config.archives()));
      } catch (Archives.BadArchive e) {
        throw new BuildFailure(
            "bad archive", "Cannot unpack the function archive: " + e.getMessage());
      }
      Path dockerfile = source.resolve("Dockerfile");
      if (!Files.isRegularFile(dockerfile)) {
        throw new BuildFailure(
            "no Dockerfile", "The function archive has no Dockerfile at its root.");
      }
      List<String> command;
      try {
        command = Dockerfiles.command(Files.readString(dockerfile, StandardCharsets.UTF_8));
      } catch (Dockerfiles.InvalidDockerfile e) {
        throw new BuildFailure("bad Dockerfile", e.getMessage());
      }
      Files.writeString(staging.resolve(COMMAND_FILE), new JsonArray(command).encode());
      Path target = functionDir(function);
      AssetCache.deleteTree(target);
      Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      AssetCache.deleteTree(staging);
      Files.deleteIfExists(archive);
    }
  }

  @Override
  public String sandboxPath(Path workspaceFolder, String folder) {
    return workspaceFolder.toAbsolutePath().normalize().toString();
  }

  /** argv as a pod would run it (worker-spec §2.6), with this machine's Python. */
  List<String> argv(Function function, TaskRun run) throws IOException {
    JsonArray stored = new JsonArray(Files.readString(functionDir(function).resolve(COMMAND_FILE)));
    List<String> argv = new ArrayList<>();
    stored.forEach(token -> argv.add((String) token));
    if (Path.of(argv.get(0)).getFileName().toString().startsWith("python")) {
      argv.set(0, config.local().python());
      argv.add(1, "-u");
    }
    argv.add("@" + run.workspace().argumentsFile().toAbsolutePath().normalize());
    return argv;
  }

  @Override
  public Execution execute(TaskRun run) throws IOException, InterruptedException {
    Function function = run.function();
    stopLeftover(run.planKey(), run.workspace());
    Path logs = run.workspace().logs(run.taskKey());
    Files.createDirectories(logs.getParent());
    ProcessBuilder builder =
        new ProcessBuilder(argv(function, run))
            .directory(functionDir(function).resolve("source").toFile())
            .redirectErrorStream(true)
            .redirectOutput(logs.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(nullDevice()));
    Map<String, String> env = builder.environment();
    Map<String, String> own = System.getenv();
    env.clear();
    for (String name : config.local().inheritEnv()) {
      if (own.containsKey(name)) {
        env.put(name, own.get(name));
      }
    }
    config.pod().organizationIndex().ifPresent(index -> env.put("ORGANIZATION_INDEX", index));
    env.putAll(config.local().env());
    Running task = new Running(builder.start(), new boolean[1]);
    LOG.debugf(
        "task %s: process %d started at %d",
        run.taskKey(), task.process().pid(), System.currentTimeMillis());
    running.put(run.planKey(), task);
    try {
      Files.writeString(run.workspace().pidFile(), String.valueOf(task.process().pid()));
      int exit = task.process().waitFor();
      synchronized (task) {
        return new Execution(exit, task.stopped()[0], logs);
      }
    } finally {
      running.remove(run.planKey(), task);
      Files.deleteIfExists(run.workspace().pidFile());
      if (task.process().isAlive()) {
        // our thread was interrupted: the function must not outlive its task
        task.process().descendants().forEach(ProcessHandle::destroyForcibly);
        task.process().destroyForcibly();
      }
    }
  }

  @Override
  public boolean stop(String planKey) {
    Running task = running.get(planKey);
    if (task == null) {
      return false;
    }
    synchronized (task) {
      task.stopped()[0] = true;
    }
    Process process = task.process();
    List<ProcessHandle> children = process.descendants().toList();
    process.destroy();
    children.forEach(ProcessHandle::destroy);
    try {
      if (!process.waitFor(config.local().stopGrace().toMillis(), TimeUnit.MILLISECONDS)) {
        children.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    return true;
  }

  /** The plan is over: its process, if one still runs (ours, or left by a crash), is stopped. */
  @Override
  public void tearDown(String planKey) throws IOException {
    stop(planKey);
    stopLeftover(planKey, TaskWorkspace.of(config.workDir(), planKey));
  }

  /**
   * A function process started before this service crashed still runs: stop it before the task runs
   * again in the same workspace.
   */
  private void stopLeftover(String planKey, TaskWorkspace workspace) throws IOException {
    Path pidFile = workspace.pidFile();
    if (!Files.isRegularFile(pidFile)) {
      return;
    }
    String arguments = workspace.argumentsFile().toAbsolutePath().normalize().toString();
    try {
      long pid = Long.parseLong(Files.readString(pidFile).trim());
      Optional<ProcessHandle> leftover = ProcessHandle.of(pid);
      if (leftover.isPresent()
          && leftover.get().info().commandLine().map(c -> c.contains(arguments)).orElse(false)) {
        LOG.infof("stopping process %d left by an earlier run of plan %s", pid, planKey);
        leftover.get().descendants().forEach(ProcessHandle::destroyForcibly);
        leftover.get().destroyForcibly();
        leftover.get().onExit().get(10, TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      LOG.warnf("cannot check the leftover process of plan %s: %s", planKey, e.toString());
    }
    Files.deleteIfExists(pidFile);
  }

  private static java.io.File nullDevice() {
    return new java.io.File("/dev/null");
  }
}
