package org.substra.node.compute.executor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.substra.node.orchestrator.protocol.Function;

/**
 * Where function images are built and tasks run: Kaniko and compute pods, or local processes. The
 * build and task flows (orchestrator states, inputs, outputs, failure reports) are the same for
 * both; only these steps differ.
 */
public interface Executor {

  /**
   * Makes {@code function} runnable (an image built, or its archive unpacked); idempotent.
   *
   * @throws BuildFailure when the function itself is at fault (its logs go in the report)
   */
  void build(Function function) throws IOException, InterruptedException, BuildFailure;

  /** Whether {@link #build} already ran for this function on this replica. */
  boolean isBuilt(Function function);

  /**
   * Makes {@code function} runnable for a task on this replica. The build queue only builds this
   * organization's functions, and only once per node: what a task needs and is not here (the image
   * of another organization's function, an image gone from the registry) is built now, from the
   * same archive.
   *
   * @throws BuildFailure when the function itself is at fault: the task's BUILD_ERROR
   */
  default void prepare(Function function) throws IOException, InterruptedException, BuildFailure {
    if (!isBuilt(function)) {
      build(function);
    }
  }

  /**
   * The path the function process sees for a folder of its task workspace ({@code in_models},
   * {@code perf}, ...): the sandbox mount in a pod, the folder itself locally.
   */
  String sandboxPath(Path workspaceFolder, String folder);

  /**
   * Whether functions see their input folders read-only (a pod's read-only mounts, the local
   * sandbox's): inputs are then hard links into the shared asset cache, else private copies.
   */
  default boolean inputsReadOnly() {
    return true;
  }

  /** Runs a task and waits for its end, or for {@link #stop}. */
  Execution execute(TaskRun run) throws IOException, InterruptedException;

  /** Stops the running task of a plan, if any (plan cancelled or failed). */
  boolean stop(String planKey);

  /**
   * The plan is over and none of its tasks runs here any more: frees what the executor holds for it
   * (its compute pods, a process left over); idempotent. The caller removes its work directory.
   */
  void tearDown(String planKey) throws IOException, InterruptedException;

  /**
   * What one function process did.
   *
   * @param limitExceeded the limit it ran past and was stopped for, in words for the task's failure
   *     report ({@link TaskLimits}); its exit code then means nothing
   */
  record Execution(int exitCode, boolean stopped, Path logs, Optional<String> limitExceeded) {

    public Execution(int exitCode, boolean stopped, Path logs) {
      this(exitCode, stopped, logs, Optional.empty());
    }

    /** The process was stopped for running past a limit. */
    public static Execution overLimit(Path logs, String limitExceeded) {
      return new Execution(-1, false, logs, Optional.of(limitExceeded));
    }
  }
}
