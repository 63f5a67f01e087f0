package org.substra.node.compute.executor.kubernetes;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.substra.node.compute.kubernetes.Pods;

/**
 * {@link Pods} against the mock API server, whose exec answers with a script: the mock server's
 * exec sessions lose their status frame now and then under load, which made the executor tests
 * flaky for a reason that is not ours. Records what was executed, where.
 */
final class ScriptedExecPods extends Pods {

  record Exec(String pod, String container, List<String> command) {}

  final List<Exec> execs = new ArrayList<>();

  /** Names of the pods asked for, in order (one per call). */
  final List<String> created = new CopyOnWriteArrayList<>();

  /** What a Kaniko container logged, when set. */
  volatile String kanikoLogs;

  /** The time each exec was given. */
  final List<Duration> execTimeouts = new CopyOnWriteArrayList<>();

  /** When set, each exec writes its output, then is still running when its time is up. */
  volatile boolean outlivesItsTime;

  private final String output;
  private final int exitCode;

  ScriptedExecPods(KubernetesClient client, String output, int exitCode) {
    super(client, "substra");
    this.output = output;
    this.exitCode = exitCode;
  }

  @Override
  public Pod createIfAbsent(Pod pod) {
    created.add(pod.getMetadata().getName());
    return super.createIfAbsent(pod);
  }

  @Override
  public Optional<String> logs(String name, String container) {
    if (kanikoLogs != null && name.startsWith("kaniko-")) {
      return Optional.of(kanikoLogs);
    }
    return super.logs(name, container);
  }

  @Override
  public int exec(
      String name, String container, List<String> command, OutputStream out, Duration timeout)
      throws IOException, ExecTimedOut {
    execs.add(new Exec(name, container, List.copyOf(command)));
    execTimeouts.add(timeout);
    out.write(output.getBytes(StandardCharsets.UTF_8));
    out.flush();
    if (outlivesItsTime) {
      throw new ExecTimedOut("exec in pod " + name + " still running after " + timeout);
    }
    return exitCode;
  }
}
