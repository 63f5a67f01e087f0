package org.substra.node.compute.storage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;
import org.substra.node.compute.config.ComputeConfig;
import org.substra.node.compute.staging.Archives;
import org.substra.node.orchestrator.protocol.DataManager;
import org.substra.node.orchestrator.protocol.DataSample;
import org.substra.node.orchestrator.protocol.Function;
import org.substra.node.orchestrator.protocol.Model;

/**
 * Assets of this organization, read straight from its object storage with the layout api-service
 * writes. Not the injected {@link AssetSource}: {@link OrganizationAssetSource} routes each asset
 * here or to its owner.
 */
@ApplicationScoped
@Typed(OwnAssetSource.class)
public class OwnAssetSource implements AssetSource {

  /** User metadata of a data sample registered by server path (api-service sets it). */
  static final String SERVER_PATH = "server-path";

  private final ObjectStore store;
  private final String mspId;

  OwnAssetSource(ObjectStore store, ComputeConfig config) {
    this.store = store;
    this.mspId = config.mspId();
  }

  private void requireOwn(String kind, String key, String owner) throws IOException {
    if (!mspId.equals(owner)) {
      throw new IOException(
          kind
              + " "
              + key
              + " belongs to "
              + owner
              + ": fetching assets of other organizations"
              + " is not supported yet");
    }
  }

  @Override
  public void functionArchive(Function function, Path destination) throws IOException {
    requireOwn("function", function.getKey(), function.getOwner());
    store.download(ObjectStore.FUNCTIONS, function.getKey() + "/archive", destination);
  }

  @Override
  public void opener(DataManager dataManager, Path destination) throws IOException {
    requireOwn("data manager", dataManager.getKey(), dataManager.getOwner());
    store.download(ObjectStore.DATA_MANAGERS, dataManager.getKey() + "/opener", destination);
  }

  @Override
  public void model(Model model, Path destination) throws IOException {
    requireOwn("model", model.getKey(), model.getOwner());
    store.download(ObjectStore.MODELS, "models/" + model.getKey() + "/model", destination);
  }

  @Override
  public void dataSample(DataSample sample, Path destination) throws IOException {
    String serverPath = store.metadata(ObjectStore.DATA_SAMPLES, sample.getKey()).get(SERVER_PATH);
    Files.createDirectories(destination);
    if (serverPath != null && !serverPath.isEmpty()) {
      copyTree(Path.of(serverPath), destination);
      return;
    }
    Path archive = destination.resolveSibling(destination.getFileName() + ".archive");
    try {
      store.download(ObjectStore.DATA_SAMPLES, sample.getKey(), archive);
      Archives.extract(archive, destination);
    } finally {
      Files.deleteIfExists(archive);
    }
  }

  private static void copyTree(Path source, Path destination) throws IOException {
    if (!Files.isDirectory(source)) {
      throw new IOException("data sample directory " + source + " does not exist");
    }
    try (Stream<Path> files = Files.walk(source)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        Path target = destination.resolve(source.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(target);
        } else if (Files.isRegularFile(file)) {
          Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }
}
