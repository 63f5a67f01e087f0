package org.substra.node.compute.kubernetes;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.KubernetesClientTimeoutException;
import io.fabric8.kubernetes.client.dsl.ExecListener;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import io.fabric8.kubernetes.client.dsl.PodResource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.substra.node.compute.config.ComputeConfig;

/**
 * The few calls compute-service makes on pods of its namespace (RBAC: pods create/get/list/watch/
 * delete, pods/log get, services get). Pod specs come from the builders; nothing here decides their
 * shape.
 */
@ApplicationScoped
public class Pods {

  public static final String RUNNING = "Running";
  public static final String SUCCEEDED = "Succeeded";
  public static final String FAILED = "Failed";
  private static final Set<String> ENDED = Set.of(SUCCEEDED, FAILED);

  private final KubernetesClient client;
  private final String namespace;

  @Inject
  Pods(KubernetesClient client, ComputeConfig config) {
    this(client, config.kubernetes().namespace());
  }

  public Pods(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
  }

  /**
   * Creates the pod unless one of that name exists: a concurrent build of the same image or an
   * earlier attempt of the same task created it, and its pod is just as good.
   *
   * @return the pod as the API server has it
   */
  public Pod createIfAbsent(Pod pod) {
    try {
      return client.pods().inNamespace(namespace).resource(pod).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
        throw e;
      }
      Pod existing = pod(pod.getMetadata().getName()).get();
      if (existing == null) {
        // Deleted between our create and get: the caller's retry creates it afresh.
        throw e;
      }
      return existing;
    }
  }

  public Optional<Pod> get(String name) {
    return Optional.ofNullable(pod(name).get());
  }

  public List<Pod> list(Map<String, String> labels) {
    return client.pods().inNamespace(namespace).withLabels(labels).list().getItems();
  }

  /**
   * Waits until the pod runs; a pod that ends first failed to start.
   *
   * @throws PodWaitException on timeout, deletion or an early end
   */
  public Pod awaitRunning(String name, Duration timeout) {
    Pod pod = awaitPhase(name, timeout, Set.of(RUNNING, SUCCEEDED, FAILED));
    if (!RUNNING.equals(phase(pod))) {
      throw new PodWaitException(
          name, PodWaitException.Outcome.ENDED, "ended " + phase(pod) + " before running", null);
    }
    return pod;
  }

  /**
   * Waits until the pod ends, succeeded or failed; the caller reads which from the returned pod.
   *
   * @throws PodWaitException on timeout or deletion
   */
  public Pod awaitEnd(String name, Duration timeout) {
    return awaitPhase(name, timeout, ENDED);
  }

  /** The pod's phase, {@code Pending} until the API server has set one. */
  public static String phase(Pod pod) {
    return pod.getStatus() == null || pod.getStatus().getPhase() == null
        ? "Pending"
        : pod.getStatus().getPhase();
  }

  private Pod awaitPhase(String name, Duration timeout, Set<String> phases) {
    Pod pod;
    try {
      pod =
          pod(name)
              .waitUntilCondition(
                  p -> p == null || phases.contains(phase(p)),
                  timeout.toMillis(),
                  TimeUnit.MILLISECONDS);
    } catch (KubernetesClientTimeoutException e) {
      throw new PodWaitException(
          name,
          PodWaitException.Outcome.TIMEOUT,
          "not " + String.join(" or ", phases) + " after " + timeout,
          e);
    }
    if (pod == null) {
      throw new PodWaitException(name, PodWaitException.Outcome.GONE, "deleted", null);
    }
    return pod;
  }

  /** The container's whole log, kept for failure reports. */
  public Optional<String> logs(String name, String container) {
    if (pod(name).get() == null) {
      return Optional.empty();
    }
    try {
      return Optional.ofNullable(pod(name).inContainer(container).getLog());
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
        // Deleted since the check above.
        return Optional.empty();
      }
      throw e;
    }
  }

  /**
   * Deletes the pod in the foreground and waits until it is gone, so that a pod created next under
   * the same name is a new one.
   *
   * @return false when there was no such pod
   * @throws PodWaitException when the pod is still there after the timeout
   */
  public boolean delete(String name, Duration timeout) {
    boolean found =
        !pod(name).withPropagationPolicy(DeletionPropagation.FOREGROUND).delete().isEmpty();
    if (!found) {
      return false;
    }
    try {
      pod(name).waitUntilCondition(Objects::isNull, timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (KubernetesClientTimeoutException e) {
      throw new PodWaitException(
          name, PodWaitException.Outcome.TIMEOUT, "still there " + timeout + " after deletion", e);
    }
    return true;
  }

  /** The exec'd command was still running when its time was up. */
  public static final class ExecTimedOut extends Exception {
    public ExecTimedOut(String message) {
      super(message);
    }
  }

  /**
   * Runs {@code command} in a container of a running pod (no TTY, no stdin), its stdout and stderr
   * into {@code output}; waits for its end, at most {@code timeout}.
   *
   * @return the exit code
   * @throws ExecTimedOut when the command outlives {@code timeout}: the connection is closed, but
   *     the command may still run in the container (only deleting the pod is sure to stop it)
   */
  public int exec(
      String name, String container, List<String> command, OutputStream output, Duration timeout)
      throws InterruptedException, IOException, ExecTimedOut {
    AtomicReference<String> ending = new AtomicReference<>("no reason given");
    CompletableFuture<Integer> exited = new CompletableFuture<>();
    try (ExecWatch watch =
        pod(name)
            .inContainer(container)
            .writingOutput(output)
            .writingError(output)
            .usingListener(
                new ExecListener() {
                  @Override
                  public void onFailure(Throwable t, Response failureResponse) {
                    ending.set("failure: " + t);
                  }

                  @Override
                  public void onExit(int code, Status status) {
                    exited.complete(code);
                  }

                  @Override
                  public void onClose(int code, String reason) {
                    ending.compareAndSet("no reason given", "closed " + code + " " + reason);
                  }
                })
            .exec(command.toArray(String[]::new))) {
      Integer exit;
      try {
        exit = watch.exitCode().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        throw new ExecTimedOut("exec in pod " + name + " still running after " + timeout);
      }
      if (exit == null) {
        // The client may handle the close before the status frame that preceded it: the status
        // still arrives, through the listener.
        exit = exited.completeOnTimeout(null, 5, TimeUnit.SECONDS).get();
      }
      if (exit == null) {
        // The connection ended before the API server sent the command's status.
        throw new IOException(
            "exec in pod " + name + " ended without an exit status (" + ending.get() + ")");
      }
      return exit;
    } catch (ExecutionException e) {
      throw new IOException("exec in pod " + name + " failed: " + e.getCause(), e.getCause());
    }
  }

  /** NodePort through which kubelets reach a local registry's service. */
  public OptionalInt nodePort(String serviceName) {
    Service service = client.services().inNamespace(namespace).withName(serviceName).get();
    if (service == null || service.getSpec() == null || service.getSpec().getPorts() == null) {
      return OptionalInt.empty();
    }
    return service.getSpec().getPorts().stream()
        .findFirst()
        .map(ServicePort::getNodePort)
        .filter(Objects::nonNull)
        .map(OptionalInt::of)
        .orElse(OptionalInt.empty());
  }

  private PodResource pod(String name) {
    return client.pods().inNamespace(namespace).withName(name);
  }
}
