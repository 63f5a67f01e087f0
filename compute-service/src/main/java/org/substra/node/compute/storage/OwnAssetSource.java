package org.substra.node.compute.storage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import org.substra.node.compute.config.ComputeConfig;
import org.substra.node.compute.staging.Archives;
import org.substra.node.compute.staging.InputStager.InvalidInput;
import org.substra.node.orchestrator.protocol.DataManager;
import org.substra.node.orchestrator.protocol.DataSample;
import org.substra.node.orchestrator.protocol.Function;
import org.substra.node.orchestrator.protocol.Model;
import org.substra.node.shared.archive.Bounds;

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
  private final Path dataSampleRoot;
  private final Bounds archiveBounds;

  OwnAssetSource(ObjectStore store, ComputeConfig config) {
    this.store = store;
    this.mspId = config.mspId();
    this.dataSampleRoot = config.dataSampleRoot();
    this.archiveBounds = Archives.bounds(config.archives());
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
      try {
        copyTree(dataSampleRoot, Path.of(serverPath), destination);
      } catch (InvalidInput e) {
        throw new InvalidInput("data sample " + sample.getKey() + ": " + e.getMessage());
      }
      return;
    }
    Path archive = destination.resolveSibling(destination.getFileName() + ".archive");
    try {
      store.download(ObjectStore.DATA_SAMPLES, sample.getKey(), archive);
      Archives.extract(archive, destination, archiveBounds);
    } catch (Archives.BadArchive e) {
      // the sample is bad, not our service: the task fails now instead of being tried again
      throw new InvalidInput("data sample " + sample.getKey() + ": " + e.getMessage());
    } finally {
      Files.deleteIfExists(archive);
    }
  }

  /**
   * Copies a sample folder registered by server path. Whoever registered it chose what the folder
   * holds, and this service may read more than they may: the folder must really lie under {@code
   * root} (no link leading out of it on the way), and hold only regular files and directories. A
   * link inside is refused, never followed, and each file is opened without following a link, in
   * case one replaced it since it was listed.
   */
  static void copyTree(Path root, Path source, Path destination) throws IOException {
    Path allowed = root.toAbsolutePath().normalize();
    Path folder = source.toAbsolutePath().normalize();
    if (!folder.startsWith(allowed)) {
      throw new InvalidInput("the folder " + source + " is not under the data sample root " + root);
    }
    if (Files.isSymbolicLink(folder)) {
      throw new InvalidInput("the folder " + source + " is a symbolic link");
    }
    if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
      throw new InvalidInput("the folder " + source + " does not exist");
    }
    Path real;
    try {
      real = folder.toRealPath();
      if (!real.startsWith(allowed.toRealPath())) {
        throw new InvalidInput(
            "the folder "
                + source
                + " leads out of the data sample root "
                + root
                + " (to "
                + real
                + ")");
      }
    } catch (NoSuchFileException e) {
      throw new InvalidInput(
          "the data sample root " + root + " or the folder " + source + " is gone");
    }
    Files.walkFileTree(
        real,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes)
              throws IOException {
            Files.createDirectories(destination.resolve(real.relativize(dir).toString()));
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attributes)
              throws IOException {
            String name = real.relativize(file).toString();
            if (attributes.isSymbolicLink()) {
              throw new InvalidInput("the folder " + source + " holds a symbolic link: " + name);
            }
            if (!attributes.isRegularFile()) {
              throw new InvalidInput(
                  "the folder " + source + " holds " + name + ", neither a file nor a folder");
            }
            InputStream content;
            try {
              content = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS);
            } catch (FileSystemException e) {
              // ELOOP: a link took the file's place since it was listed
              throw new InvalidInput(
                  "the folder " + source + " changed while read: " + name + " " + e.getReason());
            }
            try (InputStream in = content) {
              Files.copy(in, destination.resolve(name), StandardCopyOption.REPLACE_EXISTING);
            }
            return FileVisitResult.CONTINUE;
          }
        });
  }
}
