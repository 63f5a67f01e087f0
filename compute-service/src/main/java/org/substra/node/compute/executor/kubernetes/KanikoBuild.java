package org.substra.node.compute.executor.kubernetes;

import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.substra.node.compute.config.ComputeConfig;
import org.substra.node.compute.executor.BuildFailure;
import org.substra.node.compute.kubernetes.KanikoPodBuilder;
import org.substra.node.compute.kubernetes.PodWaitException;
import org.substra.node.compute.kubernetes.Pods;
import org.substra.node.compute.registry.ImageReferences;
import org.substra.node.compute.staging.Archives;
import org.substra.node.compute.staging.AssetCache;
import org.substra.node.compute.staging.Checksums;
import org.substra.node.compute.storage.AssetSource;
import org.substra.node.orchestrator.protocol.Function;

/**
 * The build half of the Kubernetes executor (worker-spec §4.2): the archive (this organization's,
 * or fetched from its owner's node), its sha256 checked against the registered checksum, is
 * unpacked under {@code <work-dir>/tmp/}, a Kaniko pod builds and pushes {@code function-<checksum
 * prefix>}, its end decides. A failed Kaniko pod is the function's fault (BUILD_ERROR with the
 * pod's logs), a start-up timeout or API trouble ours (tried again).
 *
 * <p>Whether the image already exists is the caller's question ({@link KubernetesExecutor}); the
 * command the image runs is read from its config in the registry, so the Dockerfile is not parsed
 * here (its ENTRYPOINT may come from its base image).
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

  /**
   * Builds and pushes the image of {@code function}.
   *
   * @return its tag
   */
  public String build(Function function) throws IOException, BuildFailure {
    String tag = ImageReferences.tag(function.getArchive().getChecksum());
    Path dir = config.workDir().resolve("tmp").resolve("build-" + function.getKey());
    Path archive = dir.resolveSibling(dir.getFileName() + ".archive");
    try {
      AssetCache.deleteTree(dir);
      assets.functionArchive(function, archive);
      // the tag names the archive's checksum: another archive must not be pushed under it
      String checksum = Checksums.sha256(archive);
      String expected = function.getArchive().getChecksum();
      if (!expected.isEmpty() && !expected.equals(checksum)) {
        throw new BuildFailure(
            "archive checksum mismatch",
            "The function archive's sha256 is " + checksum + ", registered " + expected + ".");
      }
      try {
        Archives.extract(archive, dir, Archives.bounds(config.archives()));
      } catch (Archives.BadArchive e) {
        throw new BuildFailure(
            "bad archive", "Cannot unpack the function archive: " + e.getMessage());
      }
      if (!Files.isRegularFile(dir.resolve("Dockerfile"))) {
        throw new BuildFailure(
            "no Dockerfile", "The function archive has no Dockerfile at its root.");
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
      return tag;
    } finally {
      AssetCache.deleteTree(dir);
      Files.deleteIfExists(archive);
    }
  }
}
