package org.substra.node.compute.outputs;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.substra.node.compute.config.ComputeConfig;
import org.substra.node.compute.orchestrator.OrchestratorClient;
import org.substra.node.compute.staging.AssetCache;
import org.substra.node.compute.staging.Checksums;
import org.substra.node.compute.staging.TaskWorkspace;
import org.substra.node.compute.storage.ObjectStore;
import org.substra.node.orchestrator.protocol.Addressable;
import org.substra.node.orchestrator.protocol.AssetKind;
import org.substra.node.orchestrator.protocol.ComputeTask;
import org.substra.node.orchestrator.protocol.Function;
import org.substra.node.orchestrator.protocol.NewModel;

/** Outputs of a finished task (worker-spec §2.7): performances, then models, registered. */
@ApplicationScoped
public class OutputSaver {

  /** The function did not produce what it declares: its fault, an EXECUTION error. */
  public static final class MissingOutput extends IOException {
    MissingOutput(String message) {
      super(message);
    }
  }

  private final ObjectStore store;
  private final OrchestratorClient orchestrator;
  private final AssetCache cache;
  private final String apiUrl;

  OutputSaver(
      ObjectStore store, OrchestratorClient orchestrator, AssetCache cache, ComputeConfig config) {
    this.store = store;
    this.orchestrator = orchestrator;
    this.cache = cache;
    this.apiUrl = config.apiUrl().replaceAll("/+$", "");
  }

  public static Path modelPath(TaskWorkspace workspace, String identifier) {
    return workspace.folder("out_models").resolve(identifier + ".model");
  }

  public static Path performancePath(TaskWorkspace workspace, String identifier) {
    return workspace.folder("perf").resolve(identifier + "-perf.json");
  }

  public void save(String channel, ComputeTask task, Function function, TaskWorkspace workspace)
      throws IOException {
    List<NewModel> models = new ArrayList<>();
    List<Path> modelFiles = new ArrayList<>();
    for (String identifier : task.getOutputsMap().keySet()) {
      AssetKind kind = function.getOutputsOrThrow(identifier).getKind();
      if (kind == AssetKind.ASSET_PERFORMANCE) {
        Path file = performancePath(workspace, identifier);
        // never followed: a link the function left would make this service read it as root
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
          throw new MissingOutput("the function wrote no performance " + identifier);
        }
        float value;
        try {
          value = new JsonObject(Files.readString(file)).getNumber("all").floatValue();
        } catch (RuntimeException e) {
          throw new MissingOutput("performance " + identifier + " is not {\"all\": <number>}");
        }
        try {
          orchestrator.registerPerformance(channel, task.getKey(), identifier, value);
        } catch (StatusRuntimeException e) {
          // an earlier attempt registered it before this service stopped
          if (e.getStatus().getCode() != Status.Code.ALREADY_EXISTS) {
            throw e;
          }
        }
      } else if (kind == AssetKind.ASSET_MODEL) {
        Path file = modelPath(workspace, identifier);
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
          throw new MissingOutput("the function wrote no model " + identifier);
        }
        String key = UUID.randomUUID().toString();
        store.upload(ObjectStore.MODELS, "models/" + key + "/model", file);
        models.add(
            NewModel.newBuilder()
                .setKey(key)
                .setComputeTaskKey(task.getKey())
                .setComputeTaskOutputIdentifier(identifier)
                .setAddress(
                    Addressable.newBuilder()
                        .setChecksum(Checksums.model(file, task.getKey()))
                        .setStorageAddress(apiUrl + "/model/" + key + "/file/"))
                .build());
        modelFiles.add(file);
      }
    }
    if (!models.isEmpty()) {
      try {
        orchestrator.registerModels(channel, models);
      } catch (RuntimeException e) {
        for (NewModel model : models) {
          store.remove(ObjectStore.MODELS, "models/" + model.getKey() + "/model");
        }
        if (e instanceof StatusRuntimeException refusal
            && refusal.getStatus().getCode() == Status.Code.ALREADY_EXISTS) {
          // an earlier attempt registered the models before this service stopped: theirs count
          return;
        }
        throw e;
      }
      // the next task of the plan on this replica finds them without a download
      for (int i = 0; i < models.size(); i++) {
        cache.adopt(AssetCache.Kind.MODELS, models.get(i).getKey(), modelFiles.get(i));
      }
    }
  }

  /**
   * The task's outputs that already have an asset in the orchestrator: after a crash, what an
   * interrupted run registered. A model does not name its output, but {@link #save} registers all
   * of a task's models in one {@code RegisterModels} transaction: one model means all of them.
   */
  public Set<String> registered(String channel, ComputeTask task, Function function) {
    Set<String> registered = new TreeSet<>();
    for (var performance : orchestrator.outputPerformances(channel, task.getKey())) {
      registered.add(performance.getComputeTaskOutputIdentifier());
    }
    if (!orchestrator.outputModels(channel, task.getKey()).isEmpty()) {
      for (String identifier : task.getOutputsMap().keySet()) {
        var output = function.getOutputsMap().get(identifier);
        if (output != null && output.getKind() == AssetKind.ASSET_MODEL) {
          registered.add(identifier);
        }
      }
    }
    return registered;
  }

  /** Output kinds this node knows how to collect. */
  public static boolean supported(AssetKind kind) {
    return kind == AssetKind.ASSET_MODEL || kind == AssetKind.ASSET_PERFORMANCE;
  }
}
