package org.substra.node.compute.outputs;

import io.grpc.StatusRuntimeException;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import org.jboss.logging.Logger;
import org.substra.node.compute.orchestrator.OrchestratorClient;
import org.substra.node.compute.staging.AssetCache;
import org.substra.node.compute.storage.ObjectStore;
import org.substra.node.orchestrator.protocol.ComputeTask;
import org.substra.node.orchestrator.protocol.ComputeTaskInput;
import org.substra.node.orchestrator.protocol.ComputeTaskOutput;
import org.substra.node.orchestrator.protocol.Model;

/**
 * Transient outputs are dropped once consumed (worker-spec §2.12, orchestrator-spec §3.8.3): when a
 * task of ours ends, each transient parent output it read, produced here, is disabled in the
 * orchestrator; the orchestrator refuses while another child has not ended, so the last child's
 * call is the one that succeeds. The models' files then leave the object storage and the cache.
 */
@ApplicationScoped
public class TransientOutputs {

  private static final Logger LOG = Logger.getLogger(TransientOutputs.class);

  private final OrchestratorClient orchestrator;
  private final ObjectStore store;
  private final AssetCache cache;

  TransientOutputs(OrchestratorClient orchestrator, ObjectStore store, AssetCache cache) {
    this.orchestrator = orchestrator;
    this.store = store;
    this.cache = cache;
  }

  /** Best effort: a leftover transient model costs space, never correctness. */
  public void release(String channel, ComputeTask task) {
    for (ComputeTaskInput input : task.getInputsList()) {
      if (!input.hasParentTaskOutput()) {
        continue;
      }
      String parentKey = input.getParentTaskOutput().getParentTaskKey();
      String identifier = input.getParentTaskOutput().getOutputIdentifier();
      try {
        ComputeTask parent = orchestrator.task(channel, parentKey);
        ComputeTaskOutput output = parent.getOutputsMap().get(identifier);
        if (output == null
            || !output.getTransient()
            || !orchestrator.mspId().equals(parent.getWorker())) {
          continue;
        }
        orchestrator.disableOutput(channel, parentKey, identifier);
        for (Model model : orchestrator.outputModels(channel, parentKey)) {
          if (orchestrator.mspId().equals(model.getOwner())) {
            store.remove(ObjectStore.MODELS, "models/" + model.getKey() + "/model");
          }
          cache.remove(AssetCache.Kind.MODELS, model.getKey());
        }
      } catch (StatusRuntimeException e) {
        LOG.debugf(
            "output %s of %s stays for now: %s",
            identifier, parentKey, e.getStatus().getDescription());
      } catch (IOException | RuntimeException e) {
        LOG.warnf("transient output %s of %s not removed: %s", identifier, parentKey, e.toString());
      }
    }
  }
}
