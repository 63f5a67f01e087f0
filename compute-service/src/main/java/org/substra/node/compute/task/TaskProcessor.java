package org.substra.node.compute.task;

import io.grpc.StatusRuntimeException;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;
import org.substra.node.compute.chainkeys.ChainkeysUnavailable;
import org.substra.node.compute.chainkeys.PlanChainkeys;
import org.substra.node.compute.config.ComputeConfig;
import org.substra.node.compute.executor.BuildFailure;
import org.substra.node.compute.executor.Executor;
import org.substra.node.compute.executor.TaskRun;
import org.substra.node.compute.orchestrator.OrchestratorClient;
import org.substra.node.compute.outputs.FailureReports;
import org.substra.node.compute.outputs.OutputSaver;
import org.substra.node.compute.outputs.TransientOutputs;
import org.substra.node.compute.profiling.TaskProfiler;
import org.substra.node.compute.staging.ArgumentsFile;
import org.substra.node.compute.staging.ArgumentsFile.Resource;
import org.substra.node.compute.staging.InputStager;
import org.substra.node.compute.staging.TaskWorkspace;
import org.substra.node.orchestrator.protocol.AssetKind;
import org.substra.node.orchestrator.protocol.ComputePlan;
import org.substra.node.orchestrator.protocol.ComputeTask;
import org.substra.node.orchestrator.protocol.ComputeTaskAction;
import org.substra.node.orchestrator.protocol.ComputeTaskStatus;
import org.substra.node.orchestrator.protocol.ErrorType;
import org.substra.node.orchestrator.protocol.FailedAssetKind;
import org.substra.node.orchestrator.protocol.Function;

/**
 * One compute task from "ready" to its recorded outcome (worker-spec §2.3): the orchestrator
 * decides whether it still runs; inputs are staged, the function runs, outputs are registered and
 * the task marked DONE, or a failure report ends it. Returns normally once the outcome is in the
 * orchestrator; throws for our own transient troubles (the message is then tried again).
 */
@ApplicationScoped
public class TaskProcessor {

  private static final Logger LOG = Logger.getLogger(TaskProcessor.class);
  static final String NOT_RUNNABLE = "Compute plan is not runnable";
  private static final int MAX_LOG_BYTES = 1 << 20;

  private final OrchestratorClient orchestrator;
  private final InputStager stager;
  private final OutputSaver outputs;
  private final FailureReports failures;
  private final TransientOutputs transients;
  private final TaskProfiler profiler;
  private final PlanChainkeys chainkeys;
  private final Path workDir;

  /**
   * Functions of tasks seen: a task only runs once its function is READY, and what a task needs of
   * it (inputs, outputs, archive) never changes after that.
   */
  private final Map<String, Function> functions = new ConcurrentHashMap<>();

  TaskProcessor(
      OrchestratorClient orchestrator,
      InputStager stager,
      OutputSaver outputs,
      FailureReports failures,
      TransientOutputs transients,
      TaskProfiler profiler,
      PlanChainkeys chainkeys,
      ComputeConfig config) {
    this.chainkeys = chainkeys;
    this.orchestrator = orchestrator;
    this.stager = stager;
    this.outputs = outputs;
    this.failures = failures;
    this.transients = transients;
    this.profiler = profiler;
    this.workDir = config.workDir();
  }

  /** A task the function itself failed or that cannot run: reported, never tried again. */
  static final class ExecutionError extends Exception {
    final String logs;

    ExecutionError(String message, String logs) {
      super(message);
      this.logs = logs;
    }
  }

  /**
   * The task's function cannot be built here (worker-spec §2.9: a build error with logs is a
   * BUILD_ERROR, here of the task), e.g. a failed Kaniko build of another organization's function.
   */
  static final class TaskBuildError extends Exception {
    final String logs;

    TaskBuildError(String message, String logs) {
      super(message);
      this.logs = logs;
    }
  }

  public void process(Executor executor, String channel, String taskKey) throws Exception {
    long received = System.nanoTime();
    ComputeTask task = orchestrator.task(channel, taskKey);
    if (!runnable(task)) {
      LOG.debugf("task %s is %s: nothing to do", taskKey, task.getStatus());
      return;
    }
    ComputePlan plan = orchestrator.plan(channel, task.getComputePlanKey());
    if (!planRunnable(plan)) {
      cancel(channel, task);
      return;
    }
    if (task.getStatus() == ComputeTaskStatus.STATUS_WAITING_FOR_EXECUTOR_SLOT) {
      orchestrator.taskAction(channel, taskKey, ComputeTaskAction.TASK_ACTION_EXECUTING, "");
    }
    if (task.getStatus() == ComputeTaskStatus.STATUS_EXECUTING
        && endedByAnEarlierRun(channel, task)) {
      transients.release(channel, task);
      return;
    }
    TaskWorkspace workspace = TaskWorkspace.of(workDir, task.getComputePlanKey());
    try {
      run(executor, channel, task, plan, workspace, received);
    } catch (ExecutionError e) {
      LOG.infof("task %s failed: %s", taskKey, e.getMessage());
      failures.withLogs(
          channel,
          taskKey,
          FailedAssetKind.FAILED_ASSET_COMPUTE_TASK,
          ErrorType.ERROR_TYPE_EXECUTION,
          e.logs);
    } catch (TaskBuildError e) {
      LOG.infof("task %s: its function cannot be built: %s", taskKey, e.getMessage());
      failures.withLogs(
          channel,
          taskKey,
          FailedAssetKind.FAILED_ASSET_COMPUTE_TASK,
          ErrorType.ERROR_TYPE_BUILD,
          e.logs);
    } catch (InputStager.InvalidInput | ArgumentsFile.UnsafeValue | ChainkeysUnavailable e) {
      LOG.warnf("task %s cannot run: %s", taskKey, e.getMessage());
      failures.internal(channel, taskKey, FailedAssetKind.FAILED_ASSET_COMPUTE_TASK);
    } finally {
      workspace.reset();
    }
    transients.release(channel, task);
  }

  /**
   * At most once: a redelivered EXECUTING task whose run got as far as registering outputs is never
   * run again. All outputs there: that run succeeded and only DONE was missing. Some of them: it
   * stopped between two registrations; running again would pair its outputs with another run's (a
   * performance of one model, the model of another) and repeat the function's effects (consumed
   * chainkeys), so the task fails (INTERNAL_ERROR) instead, the reason in the log. None: the run
   * stopped before its outputs, and the task runs again.
   */
  private boolean endedByAnEarlierRun(String channel, ComputeTask task) {
    Function function =
        functions.computeIfAbsent(
            task.getFunctionKey(), key -> orchestrator.function(channel, key));
    Set<String> registered = outputs.registered(channel, task, function);
    if (registered.isEmpty()) {
      return false;
    }
    Set<String> declared = new TreeSet<>(task.getOutputsMap().keySet());
    if (registered.containsAll(declared)) {
      LOG.infof(
          "task %s: its outputs %s were registered by an interrupted run: DONE without running"
              + " it again",
          task.getKey(), declared);
      done(channel, task.getKey());
    } else {
      declared.removeAll(registered);
      LOG.warnf(
          "task %s cannot run: an interrupted run registered its outputs %s but not %s, and a"
              + " task is never run twice",
          task.getKey(), registered, declared);
      failures.internal(channel, task.getKey(), FailedAssetKind.FAILED_ASSET_COMPUTE_TASK);
    }
    return true;
  }

  /** Our own failure after the last attempt: the task ends with an INTERNAL_ERROR report. */
  public void giveUp(String channel, String taskKey) {
    ComputeTask task = orchestrator.task(channel, taskKey);
    if (task.getStatus() == ComputeTaskStatus.STATUS_WAITING_FOR_EXECUTOR_SLOT) {
      orchestrator.taskAction(channel, taskKey, ComputeTaskAction.TASK_ACTION_EXECUTING, "");
    } else if (task.getStatus() != ComputeTaskStatus.STATUS_EXECUTING) {
      return;
    }
    failures.internal(channel, taskKey, FailedAssetKind.FAILED_ASSET_COMPUTE_TASK);
  }

  private void run(
      Executor executor,
      String channel,
      ComputeTask task,
      ComputePlan plan,
      TaskWorkspace workspace,
      long received)
      throws Exception {
    long checked = System.nanoTime();
    TaskProfiler.Profile profile = profiler.start(channel, task.getKey());
    Function function =
        functions.computeIfAbsent(
            task.getFunctionKey(), key -> orchestrator.function(channel, key));
    for (String output : task.getOutputsMap().keySet()) {
      if (!function.getOutputsMap().containsKey(output)
          || !OutputSaver.supported(function.getOutputsOrThrow(output).getKind())) {
        throw new InputStager.InvalidInput("unsupported output " + output);
      }
    }
    long preparing = System.nanoTime();
    try {
      // built by another replica, by another organization, or lost: built here if need be
      executor.prepare(function);
    } catch (BuildFailure e) {
      throw new TaskBuildError(function.getKey() + ": " + e.getMessage(), e.logs());
    }
    // Getting another organization's function is a step of its own in the profile (REST spec
    // §4.13).
    long fetchingFunction =
        function.getOwner().equals(orchestrator.mspId()) ? 0 : System.nanoTime() - preparing;
    workspace.reset();
    List<Resource> inputs =
        stager.stage(
            function,
            orchestrator.inputAssets(channel, task.getKey()),
            workspace,
            (folder, entry) -> executor.sandboxPath(workspace.folder(folder), folder) + "/" + entry,
            executor.inputsReadOnly());
    inputs = new ArrayList<>(inputs);
    boolean chainkeys =
        this.chainkeys.prepare(plan, workspace.planDir(), workspace.folder("chainkeys"));
    if (chainkeys) {
      inputs.add(
          new Resource(
              "chainkeys",
              executor.sandboxPath(workspace.folder("chainkeys"), "chainkeys"),
              false));
    }
    List<Resource> outputResources = new ArrayList<>();
    for (String identifier : task.getOutputsMap().keySet()) {
      AssetKind kind = function.getOutputsOrThrow(identifier).getKind();
      String path =
          kind == AssetKind.ASSET_MODEL
              ? executor.sandboxPath(workspace.folder("out_models"), "out_models")
                  + "/"
                  + identifier
                  + ".model"
              : executor.sandboxPath(workspace.folder("perf"), "perf")
                  + "/"
                  + identifier
                  + "-perf.json";
      outputResources.add(new Resource(identifier, path, false));
    }
    // no second plan check here: a cancel message stops the process as soon as it arrives
    ArgumentsFile.write(workspace.argumentsFile(), task.getRank(), inputs, outputResources);
    long started = System.nanoTime();
    LOG.debugf(
        "task %s: orchestrator checks %d ms, inputs staged %d ms",
        task.getKey(), (checked - received) / 1_000_000, (started - checked) / 1_000_000);
    Executor.Execution execution =
        executor.execute(
            new TaskRun(task.getComputePlanKey(), task.getKey(), function, workspace, chainkeys));
    long micros = (System.nanoTime() - started) / 1000;
    if (execution.stopped()) {
      LOG.infof("task %s stopped: its plan was cancelled or failed", task.getKey());
      cancel(channel, orchestrator.task(channel, task.getKey()));
      return;
    }
    if (execution.limitExceeded().isPresent()) {
      String limit = execution.limitExceeded().get();
      throw new ExecutionError(limit, logs(execution.logs()) + "\n" + limit);
    }
    if (execution.exitCode() != 0) {
      throw new ExecutionError("exit code " + execution.exitCode(), logs(execution.logs()));
    }
    long saving = System.nanoTime();
    try {
      outputs.save(channel, task, function, workspace);
    } catch (OutputSaver.MissingOutput e) {
      throw new ExecutionError(e.getMessage(), logs(execution.logs()) + "\n" + e.getMessage());
    }
    if (chainkeys) {
      this.chainkeys.commit(workspace.planDir(), workspace.folder("chainkeys"));
    }
    profile.step("prepare_inputs", (started - checked - fetchingFunction) / 1000);
    if (fetchingFunction > 0) {
      profile.step("download_function", fetchingFunction / 1000);
    }
    profile.step("task_execution", micros);
    profile.step("save_outputs", (System.nanoTime() - saving) / 1000);
    profile.finish();
    profile(channel, task.getKey(), micros);
    done(channel, task.getKey());
  }

  private void profile(String channel, String task, long micros) {
    try {
      orchestrator.profilingStep(channel, task, "task_execution", micros);
    } catch (StatusRuntimeException e) {
      LOG.debugf("profiling step of %s not recorded: %s", task, e.getStatus());
    }
  }

  private void done(String channel, String task) {
    try {
      orchestrator.taskAction(channel, task, ComputeTaskAction.TASK_ACTION_DONE, "task completed");
    } catch (StatusRuntimeException e) {
      String description = String.valueOf(e.getStatus().getDescription());
      if (!description.contains("transitionDone inappropriate in current state STATUS_DONE")) {
        throw e;
      }
    }
  }

  private void cancel(String channel, ComputeTask task) {
    if (!runnable(task)) {
      return;
    }
    try {
      orchestrator.taskAction(
          channel, task.getKey(), ComputeTaskAction.TASK_ACTION_CANCELED, NOT_RUNNABLE);
    } catch (StatusRuntimeException e) {
      if (!OrchestratorClient.isTransitionRefusal(e)) {
        throw e;
      }
    }
  }

  private static boolean planRunnable(ComputePlan plan) {
    return !plan.hasCancelationDate() && !plan.hasFailureDate();
  }

  /** EXECUTING too: the message may be a redelivery after this service stopped mid-task. */
  private boolean runnable(ComputeTask task) {
    return (task.getStatus() == ComputeTaskStatus.STATUS_WAITING_FOR_EXECUTOR_SLOT
            || task.getStatus() == ComputeTaskStatus.STATUS_EXECUTING)
        && orchestrator.mspId().equals(task.getWorker());
  }

  private static String logs(Path file) throws IOException {
    if (!Files.exists(file)) {
      return "";
    }
    byte[] bytes = Files.readAllBytes(file);
    int from = Math.max(0, bytes.length - MAX_LOG_BYTES);
    return new String(bytes, from, bytes.length - from, StandardCharsets.UTF_8);
  }
}
