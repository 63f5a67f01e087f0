package org.substra.node.compute.staging;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.substra.node.compute.staging.ArgumentsFile.Resource;
import org.substra.node.compute.storage.AssetSource;
import org.substra.node.orchestrator.protocol.ComputeTaskInputAsset;
import org.substra.node.orchestrator.protocol.Function;
import org.substra.node.orchestrator.protocol.FunctionInput;

/**
 * Links a task's input assets into its workspace from the asset cache, fetching and checking the
 * missing ones (worker-spec §2.4), and returns the {@code --inputs} resources.
 */
@ApplicationScoped
public class InputStager {

  /** The registered asset does not match what storage holds: not the function's fault. */
  public static final class InvalidInput extends IOException {
    public InvalidInput(String message) {
      super(message);
    }
  }

  private final AssetCache cache;
  private final AssetSource source;

  InputStager(AssetCache cache, AssetSource source) {
    this.cache = cache;
    this.source = source;
  }

  /**
   * @param sandbox the path the function sees for a workspace folder and an entry in it
   * @param readOnly whether the function sees its inputs read-only: they are then hard links into
   *     the asset cache, else private copies (a function must never change what later tasks read)
   */
  public List<Resource> stage(
      Function function,
      List<ComputeTaskInputAsset> assets,
      TaskWorkspace workspace,
      BiFunction<String, String, String> sandbox,
      boolean readOnly)
      throws IOException {
    List<Resource> resources = new ArrayList<>();
    long dataManagers = assets.stream().filter(ComputeTaskInputAsset::hasDataManager).count();
    if (dataManagers > 1) {
      throw new InvalidInput("too many datamanagers");
    }
    for (ComputeTaskInputAsset asset : assets) {
      FunctionInput declared = function.getInputsMap().get(asset.getIdentifier());
      boolean multiple = declared != null && declared.getMultiple();
      String id = asset.getIdentifier();
      if (asset.hasModel()) {
        var model = asset.getModel();
        Path cached =
            cache.get(
                AssetCache.Kind.MODELS,
                model.getKey(),
                destination -> source.model(model, destination),
                fetched ->
                    expect(
                        "model " + model.getKey(),
                        model.getAddress().getChecksum(),
                        Checksums.model(fetched, model.getComputeTaskKey())));
        link(cached, workspace.folder("in_models").resolve(model.getKey()), readOnly);
        resources.add(new Resource(id, sandbox.apply("in_models", model.getKey()), multiple));
      } else if (asset.hasDataManager()) {
        var manager = asset.getDataManager();
        Path cached =
            cache.get(
                AssetCache.Kind.OPENERS,
                manager.getKey(),
                destination -> source.opener(manager, destination.resolve("__init__.py")),
                fetched ->
                    expect(
                        "opener of " + manager.getKey(),
                        manager.getOpener().getChecksum(),
                        Checksums.sha256(fetched.resolve("__init__.py"))));
        link(cached, workspace.folder("openers").resolve(manager.getKey()), readOnly);
        resources.add(
            new Resource(
                id, sandbox.apply("openers", manager.getKey() + "/__init__.py"), multiple));
      } else if (asset.hasDataSample()) {
        var sample = asset.getDataSample();
        Path cached =
            cache.get(
                AssetCache.Kind.DATA_SAMPLES,
                sample.getKey(),
                destination -> source.dataSample(sample, destination),
                fetched ->
                    expect(
                        "data sample " + sample.getKey(),
                        sample.getChecksum(),
                        Checksums.directory(fetched)));
        link(cached, workspace.folder("data_samples").resolve(sample.getKey()), readOnly);
        resources.add(new Resource(id, sandbox.apply("data_samples", sample.getKey()), multiple));
      }
    }
    return resources;
  }

  private static void link(Path cached, Path target, boolean readOnly) throws IOException {
    if (Files.exists(target)) {
      AssetCache.deleteTree(target);
    }
    if (readOnly) {
      AssetCache.link(cached, target);
    } else {
      AssetCache.copy(cached, target);
    }
  }

  private static void expect(String what, String registered, String actual) throws InvalidInput {
    if (!registered.equals(actual)) {
      throw new InvalidInput(
          what + ": checksum " + actual + " differs from the registered " + registered);
    }
  }
}
