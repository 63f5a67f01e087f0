package org.substra.node.compute.executor.local;

import io.vertx.core.json.JsonArray;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import org.substra.node.compute.config.ComputeConfig;
import org.substra.node.compute.executor.BuildFailure;
import org.substra.node.compute.executor.Executor;
import org.substra.node.compute.executor.TaskRun;
import org.substra.node.compute.executor.local.SandboxCommand.Mount;
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

  /** Where a sandboxed function sees its source (its working directory) and its task folders. */
  static final String FUNCTION_ROOT = "/function";

  static final String TASK_ROOT = "/task";

  /**
   * The task folders a function writes (chainkeys: what it leaves there becomes the plan's,
   * worker-spec §2.8); the others are its inputs, read-only.
   */
  static final Set<String> WRITABLE = Set.of("out_models", "perf", "export", "chainkeys");

  private static final String SANDBOX_PATH = "/usr/local/bin:/usr/bin:/bin";

  private final ComputeConfig config;
  private final AssetSource assets;
  private final Path functions;
  private final Map<String, Running> running = new ConcurrentHashMap<>();
  private final Sandbox sandbox;
  private final LimitWatch limits;
  private final Slots slots;

  private record Running(Process process, boolean[] stopped) {}

  LocalExecutor(ComputeConfig config, AssetSource assets) {
    this.config = config;
    this.assets = assets;
    this.functions = config.workDir().resolve("functions");
    this.limits = new LimitWatch(config);
    try {
      this.sandbox = Sandbox.detect(config, config.workDir(), limits);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the sandbox under " + config.workDir(), e);
    }
    this.slots = new Slots();
    sandbox
        .unavailable()
        .ifPresentOrElse(
            reason ->
                LOG.warnf(
                    "FUNCTIONS CANNOT BE SANDBOXED: %s. Tasks of other organizations' functions"
                        + " will fail; this organization's own functions %s.",
                    reason,
                    config.local().sandbox().allowUnsandboxedOwnFunctions()
                        ? "run unsandboxed (compute.local.sandbox.allow-unsandboxed-own-functions)"
                        : "will fail too"),
            () ->
                LOG.infof(
                    "functions run sandboxed (bubblewrap%s, Python %s)",
                    sandbox.root() ? ", host uid " + sandbox.uid(0) + " and up" : "",
                    sandbox.python()));
  }

  /** The sandbox found when this service started. */
  public Sandbox sandbox() {
    return sandbox;
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
        Archives.extract(archive, source, Archives.bounds(config.archives()));
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
    if (sandbox.unavailable().isEmpty()) {
      return TASK_ROOT + "/" + folder;
    }
    return workspaceFolder.toAbsolutePath().normalize().toString();
  }

  /** Unsandboxed (an own function the operator allowed), a function could write its inputs. */
  @Override
  public boolean inputsReadOnly() {
    return sandbox.unavailable().isEmpty();
  }

  /** argv as a pod would run it (worker-spec §2.6), with this machine's Python. */
  List<String> argv(Function function, TaskRun run) throws IOException {
    JsonArray stored = new JsonArray(Files.readString(functionDir(function).resolve(COMMAND_FILE)));
    List<String> argv = new ArrayList<>();
    stored.forEach(token -> argv.add((String) token));
    boolean sandboxed = sandbox.unavailable().isEmpty();
    if (Path.of(argv.get(0)).getFileName().toString().startsWith("python")) {
      argv.set(
          0,
          sandboxed && sandbox.python() != null
              ? sandbox.python().toString()
              : config.local().python());
      argv.add(1, "-u");
    }
    argv.add(
        "@"
            + (sandboxed
                ? sandboxPath(run.workspace().folder("cli-args"), "cli-args") + "/arguments.txt"
                : run.workspace().argumentsFile().toAbsolutePath().normalize()));
    return argv;
  }

  @Override
  public Execution execute(TaskRun run) throws IOException, InterruptedException {
    Function function = run.function();
    stopLeftover(run.planKey(), run.workspace());
    Path logs = run.workspace().logs(run.taskKey());
    Files.createDirectories(logs.getParent());
    boolean sandboxed = sandbox.unavailable().isEmpty();
    if (!sandboxed) {
      boolean own = function.getOwner().equals(config.mspId());
      if (!own || !config.local().sandbox().allowUnsandboxedOwnFunctions()) {
        String refusal =
            "This node cannot run functions in a sandbox ("
                + sandbox.unavailable().get()
                + ") and refuses to run "
                + (own
                    ? "them unsandboxed (compute.local.sandbox.allow-unsandboxed-own-functions"
                        + " is off)."
                    : "a function of another organization (" + function.getOwner() + ").");
        Files.writeString(logs, refusal + "\n");
        return Execution.overLimit(logs, refusal);
      }
      LOG.warnf(
          "task %s: function %s runs UNSANDBOXED (%s)",
          run.taskKey(), function.getKey(), sandbox.unavailable().get());
    }
    int slot = slots.acquire();
    try {
      List<String> argv = argv(function, run);
      LimitWatch.Watch watch;
      ProcessBuilder builder;
      if (sandboxed) {
        List<Mount> mounts = mounts(function, run, slot);
        builder =
            new ProcessBuilder(
                sandbox
                    .command(mounts, FUNCTION_ROOT, limits.processLimits(sandbox.uid(slot)))
                    .command(argv));
        watch =
            limits.watch(mounts.stream().filter(Mount::writable).map(Mount::source).toList(), logs);
      } else {
        builder =
            new ProcessBuilder(argv).directory(functionDir(function).resolve("source").toFile());
        watch = limits.watch(List.of(), logs);
      }
      builder
          .redirectErrorStream(true)
          .redirectOutput(logs.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(nullDevice()));
      environment(builder.environment(), run, sandboxed);
      Running task = new Running(builder.start(), new boolean[1]);
      LOG.debugf(
          "task %s: process %d started at %d",
          run.taskKey(), task.process().pid(), System.currentTimeMillis());
      running.put(run.planKey(), task);
      try {
        Files.writeString(run.workspace().pidFile(), String.valueOf(task.process().pid()));
        int exit = watch.await(task.process());
        synchronized (task) {
          boolean stopped = task.stopped()[0];
          return new Execution(
              exit,
              stopped,
              logs,
              Optional.ofNullable(stopped || exit == 0 ? null : watch.limitReached(exit)));
        }
      } finally {
        running.remove(run.planKey(), task);
        Files.deleteIfExists(run.workspace().pidFile());
        if (task.process().isAlive()) {
          // our thread was interrupted: the function must not outlive its task (killing the
          // sandbox's first process ends its whole PID namespace)
          task.process().descendants().forEach(ProcessHandle::destroyForcibly);
          task.process().destroyForcibly();
        }
      }
    } finally {
      try {
        sandbox.reap(slot);
      } finally {
        slots.release(slot);
      }
    }
  }

  /**
   * What the function sees: its source read-only as its working directory, inputs and arguments
   * read-only, its output folders and a scratch /tmp writable, nothing else of this node.
   */
  private List<Mount> mounts(Function function, TaskRun run, int slot) throws IOException {
    List<Mount> mounts = new ArrayList<>();
    mounts.add(new Mount(functionDir(function).resolve("source"), FUNCTION_ROOT, false));
    for (String folder : TaskWorkspace.FOLDERS) {
      Path source = run.workspace().folder(folder);
      boolean writable = WRITABLE.contains(folder);
      mounts.add(new Mount(source, TASK_ROOT + "/" + folder, writable));
    }
    Path scratch = run.workspace().planDir().resolve("tmp");
    AssetCache.deleteTree(scratch);
    Files.createDirectories(scratch);
    mounts.add(new Mount(scratch, "/tmp", true));
    for (Mount mount : mounts) {
      if (mount.writable()) {
        sandbox.handOver(mount.source(), slot);
      }
    }
    return mounts;
  }

  private void environment(Map<String, String> env, TaskRun run, boolean sandboxed) {
    Map<String, String> own = System.getenv();
    env.clear();
    for (String name : config.local().inheritEnv()) {
      if (own.containsKey(name)) {
        env.put(name, own.get(name));
      }
    }
    if (sandboxed) {
      // the host's HOME and TMPDIR do not exist in the sandbox
      env.put("HOME", "/tmp");
      env.put("TMPDIR", "/tmp");
      env.put("PATH", SANDBOX_PATH);
    }
    config.pod().organizationIndex().ifPresent(index -> env.put("ORGANIZATION_INDEX", index));
    env.putAll(config.local().env());
    if (sandboxed && !sandbox.pythonPath().isEmpty()) {
      env.put(
          "PYTHONPATH",
          String.join(":", sandbox.pythonPath().stream().map(Path::toString).toList()));
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
    // the arguments folder's host path is on the command line, sandboxed (a mount) or not
    String arguments = workspace.folder("cli-args").toAbsolutePath().normalize().toString();
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
