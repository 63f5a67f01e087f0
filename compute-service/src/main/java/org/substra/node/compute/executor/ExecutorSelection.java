package org.substra.node.compute.executor;

import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.util.Optional;
import org.substra.node.compute.config.ComputeConfig;
import org.substra.node.compute.executor.kubernetes.KubernetesExecutor;
import org.substra.node.compute.executor.local.LocalExecutor;

/**
 * The executor {@code compute.executor} names, made when the service starts: the local one tries
 * its sandbox then, and says at once when functions cannot be sandboxed.
 */
@Startup
@ApplicationScoped
public class ExecutorSelection {

  private final Executor selected;

  ExecutorSelection(
      ComputeConfig config,
      Instance<LocalExecutor> local,
      Instance<KubernetesExecutor> kubernetes) {
    // only the selected one is created: the other may lack what it needs (a cluster, python3)
    this.selected =
        config.executor() == ComputeConfig.Executor.LOCAL ? local.get() : kubernetes.get();
    if (selected instanceof LocalExecutor localExecutor) {
      // a client proxy: the first call makes the executor, which tries its sandbox now
      localExecutor.sandbox();
    }
  }

  public Optional<Executor> executor() {
    return Optional.ofNullable(selected);
  }
}
