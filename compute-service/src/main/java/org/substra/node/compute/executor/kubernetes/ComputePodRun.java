package org.substra.node.compute.executor.kubernetes;

import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.substra.node.compute.config.ComputeConfig;
import org.substra.node.compute.kubernetes.ComputePod;
import org.substra.node.compute.kubernetes.ComputePodBuilder;
import org.substra.node.compute.kubernetes.PodLabels;
import org.substra.node.compute.kubernetes.PodWaitException;
import org.substra.node.compute.kubernetes.Pods;

/**
 * The compute half of the Kubernetes executor (worker-spec §2.6, §5): the plan's pod for this image
 * is created once and reused, the function's entrypoint is exec'd in it with the arguments file,
 * its merged output captured. The entrypoint is the image config's, read from the registry by
 * {@link KubernetesExecutor}.
 */
public class ComputePodRun {

  private static final Logger LOG = Logger.getLogger(ComputePodRun.class);

  static final String ARGUMENTS = ComputePodBuilder.SANDBOX_DIR + "/cli-args/arguments.txt";

  private final ComputeConfig config;
  private final ComputePodBuilder builder;
  private final Pods pods;

  public ComputePodRun(ComputeConfig config, ComputePodBuilder builder, Pods pods) {
    this.config = config;
    this.builder = builder;
    this.pods = pods;
  }

  /**
   * The shell line exec'd in the compute container: the entrypoint ({@code -u} after a Python
   * interpreter), then {@code @arguments.txt}, each token shell-quoted (upstream joins unquoted, a
   * bug for tokens with spaces), stderr merged.
   */
  static String commandLine(List<String> entrypoint) {
    List<String> argv = new ArrayList<>(entrypoint);
    if (!argv.isEmpty() && Path.of(argv.get(0)).getFileName().toString().startsWith("python")) {
      argv.add(1, "-u");
    }
    argv.add("@" + ARGUMENTS);
    return argv.stream().map(ComputePodRun::quote).collect(Collectors.joining(" ")) + " 2>&1";
  }

  /**
   * The task's command was still running at the end of its time limit ({@code
   * compute.limits.timeout}); its pod was deleted to stop it.
   */
  public static final class TimeLimitExceeded extends Exception {
    private final Duration limit;

    TimeLimitExceeded(Duration limit, Throwable cause) {
      super("still running after its time limit of " + limit, cause);
      this.limit = limit;
    }

    public Duration limit() {
      return limit;
    }
  }

  /** The compute pod did not reach Running in time (an image that cannot be pulled, ...). */
  public static final class NotStarted extends IOException {
    NotStarted(String message, Throwable cause) {
      super(message, cause);
    }
  }

  static String quote(String token) {
    return "'" + token.replace("'", "'\\''") + "'";
  }

  private static String planOf(Pod pod) {
    var labels = pod.getMetadata().getLabels();
    return labels == null ? null : labels.get(PodLabels.COMPUTE_PLAN_KEY);
  }

  /**
   * Whether a pod found for a task cannot serve it: it ended (its active deadline passed, it was
   * evicted), or so little of its deadline is left that it would end before a task that uses its
   * whole time limit.
   */
  boolean spent(Pod pod, Instant now) {
    String phase = Pods.phase(pod);
    if (Pods.SUCCEEDED.equals(phase) || Pods.FAILED.equals(phase)) {
      return true;
    }
    Long deadline = pod.getSpec() == null ? null : pod.getSpec().getActiveDeadlineSeconds();
    String started = pod.getStatus() == null ? null : pod.getStatus().getStartTime();
    if (deadline == null || started == null) {
      return false;
    }
    Instant end;
    try {
      end = Instant.parse(started).plusSeconds(deadline);
    } catch (DateTimeParseException e) {
      return false;
    }
    return Duration.between(now, end).compareTo(config.limits().timeout()) < 0;
  }

  /**
   * @return the exit code; the function's output is in {@code logs}
   * @throws IOException when the pod does not start (ours, tried again: the pod is deleted first)
   * @throws TimeLimitExceeded when the command outlives {@code compute.limits.timeout}
   */
  public int run(ComputePod request, List<String> entrypoint, Path logs)
      throws IOException, InterruptedException, TimeLimitExceeded {
    Pod pod = pods.createIfAbsent(builder.build(request));
    if (!request.computePlanKey().equals(planOf(pod))) {
      // The reference's name holds 8 characters of the plan key: another plan may own it, and its
      // pod mounts that plan's directories.
      pod =
          pods.createIfAbsent(
              builder.build(
                  request,
                  ComputePodBuilder.distinctPodName(request.computePlanKey(), request.imageTag())));
    }
    String name = pod.getMetadata().getName();
    if (spent(pod, Instant.now())) {
      LOG.infof(
          "compute pod %s is %s, started %s: replaced by a fresh one",
          name, Pods.phase(pod), pod.getStatus() == null ? null : pod.getStatus().getStartTime());
      pods.delete(name, config.pod().deletionTimeout());
      pods.createIfAbsent(builder.build(request, name));
    }
    try {
      pods.awaitRunning(name, config.pod().startupTimeout());
    } catch (PodWaitException e) {
      pods.delete(name, config.pod().deletionTimeout());
      throw new NotStarted("compute pod " + name + ": " + e.getMessage(), e);
    }
    Files.createDirectories(logs.getParent());
    Duration limit = config.limits().timeout();
    try (OutputStream out = Files.newOutputStream(logs)) {
      return pods.exec(name, name, List.of("/bin/sh", "-c", commandLine(entrypoint)), out, limit);
    } catch (Pods.ExecTimedOut e) {
      // Closing the exec leaves the command running in the container: deleting the pod stops it
      // (the plan's next task gets a fresh pod).
      try {
        pods.delete(name, config.pod().deletionTimeout());
      } catch (RuntimeException deletion) {
        LOG.warnf("compute pod %s of a task past its time limit: %s", name, deletion.getMessage());
      }
      throw new TimeLimitExceeded(limit, e);
    }
  }

  /**
   * Deletes the plan's compute pods (the selector of upstream's teardown): a cancel ends the exec
   * running in them, a teardown frees them.
   */
  public void stop(String computePlanKey) {
    for (Pod pod :
        pods.list(
            Map.of(
                PodLabels.POD_TYPE, PodLabels.TYPE_COMPUTE_TASK,
                PodLabels.COMPONENT, PodLabels.COMPONENT_VALUE,
                PodLabels.COMPUTE_PLAN_KEY, computePlanKey))) {
      pods.delete(pod.getMetadata().getName(), config.pod().deletionTimeout());
    }
  }
}
