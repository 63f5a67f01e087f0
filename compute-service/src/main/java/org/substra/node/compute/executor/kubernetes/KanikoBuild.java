package org.substra.node.compute.executor.kubernetes;

import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.substra.node.compute.config.ComputeConfig;
import org.substra.node.compute.executor.BuildFailure;
import org.substra.node.compute.executor.local.Dockerfiles;
import org.substra.node.compute.kubernetes.KanikoPodBuilder;
import org.substra.node.compute.kubernetes.PodWaitException;
import org.substra.node.compute.kubernetes.Pods;
import org.substra.node.compute.registry.ImageReferences;
import org.substra.node.compute.staging.Archives;
import org.substra.node.compute.staging.AssetCache;
import org.substra.node.compute.storage.AssetSource;
import org.substra.node.orchestrator.protocol.Function;

/**
 * The build half of the Kubernetes executor (worker-spec §4.2): the archive is unpacked under
 * {@code <work-dir>/tmp/}, a Kaniko pod builds and pushes {@code function-<checksum prefix>}, its
 * end decides. A failed Kaniko pod is the function's fault (BUILD_ERROR with the pod's logs), a
 * start-up timeout or API trouble ours (tried again).
 *
 * <p>Not yet: the registry check that skips a build whose image exists (§4.2 step 2), and the
 * compute pod side of the executor (exec in the plan's pod); until both exist {@code
 * compute.executor=kubernetes} consumes no work.
 */
public class KanikoBuild {

  static final String CONTAINER = "kaniko";

  private final ComputeConfig config;
  private final AssetSource assets;
  private final KanikoPodBuilder builder;
  private final Pods pods;

  public KanikoBuild(
      ComputeConfig config, AssetSource assets, KanikoPodBuilder builder, Pods pods) {
    this.config = config;
    this.assets = assets;
    this.builder = builder;
    this.pods = pods;
  }

  /** An image pushed, and the command its Dockerfile gives (ENTRYPOINT then CMD). */
  public record Built(String tag, List<String> command) {}

  public Built build(Function function) throws IOException, BuildFailure {
    String tag = ImageReferences.tag(function.getArchive().getChecksum());
    Path dir = config.workDir().resolve("tmp").resolve("build-" + function.getKey());
    Path archive = dir.resolveSibling(dir.getFileName() + ".archive");
    try {
      AssetCache.deleteTree(dir);
      assets.functionArchive(function, archive);
      try {
        Archives.extract(archive, dir);
      } catch (Archives.BadArchive e) {
        throw new BuildFailure(
            "bad archive", "Cannot unpack the function archive: " + e.getMessage());
      }
      if (!Files.isRegularFile(dir.resolve("Dockerfile"))) {
        throw new BuildFailure(
            "no Dockerfile", "The function archive has no Dockerfile at its root.");
      }
      List<String> command;
      try {
        command = Dockerfiles.command(Files.readString(dir.resolve("Dockerfile")));
      } catch (Dockerfiles.InvalidDockerfile e) {
        throw new BuildFailure("bad Dockerfile", e.getMessage());
      }
      Pod pod = pods.createIfAbsent(builder.build(tag, dir));
      String name = pod.getMetadata().getName();
      Pod ended;
      try {
        ended = pods.awaitEnd(name, config.kaniko().buildTimeout());
      } catch (PodWaitException e) {
        pods.delete(name, config.pod().deletionTimeout());
        throw new IOException("Kaniko pod " + name + ": " + e.getMessage(), e);
      }
      String logs = pods.logs(name, CONTAINER).orElse("");
      pods.delete(name, config.pod().deletionTimeout());
      if (!Pods.SUCCEEDED.equals(Pods.phase(ended))) {
        if (logs.contains("ConnectionResetError")) {
          throw new IOException("Kaniko lost its connection; build tried again");
        }
        throw new BuildFailure("Kaniko build failed", logs);
      }
      return new Built(tag, command);
    } finally {
      AssetCache.deleteTree(dir);
      Files.deleteIfExists(archive);
    }
  }
}
