package org.substra.node.compute.executor.kubernetes;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;
import org.substra.node.compute.config.ComputeConfig;
import org.substra.node.compute.config.RegistryConfig;
import org.substra.node.compute.executor.BuildFailure;
import org.substra.node.compute.executor.Executor;
import org.substra.node.compute.executor.TaskLimits;
import org.substra.node.compute.executor.TaskRun;
import org.substra.node.compute.kubernetes.ComputePod;
import org.substra.node.compute.kubernetes.ComputePodBuilder;
import org.substra.node.compute.kubernetes.KanikoPodBuilder;
import org.substra.node.compute.kubernetes.Pods;
import org.substra.node.compute.registry.ImageConfig;
import org.substra.node.compute.registry.ImageReferences;
import org.substra.node.compute.registry.RegistryClient;
import org.substra.node.compute.storage.AssetSource;
import org.substra.node.orchestrator.protocol.AssetKind;
import org.substra.node.orchestrator.protocol.Function;

/**
 * Production executor: Kaniko builds ({@link KanikoBuild}) and compute pods ({@link
 * ComputePodRun}). The registry decides (worker-spec §4.2, §4.5): an image that exists is not built
 * again, and the command exec'd in compute pods is the image config's ENTRYPOINT then CMD, read
 * once per image and kept in memory (upstream keeps it in a table).
 *
 * <p>A task whose image is not in this node's registry (a function of another organization, built
 * in its owner's registry; an image lost in a registry reset) has it built here by Kaniko from the
 * function archive, fetched from its owner: the same archive gives the same image, so nothing is
 * transferred between registries (upstream's image transfer, worker-spec §4.6). Builds of one tag
 * are serialized on a replica, so concurrent tasks needing the same image build it once.
 */
@ApplicationScoped
@Typed(KubernetesExecutor.class)
public class KubernetesExecutor implements Executor {

  private static final Logger LOG = Logger.getLogger(KubernetesExecutor.class);

  private final ComputeConfig config;
  private final RegistryConfig registry;
  private final RegistryClient registryClient;
  private final KanikoBuild kaniko;
  private final ComputePodRun compute;
  private final Pods pods;
  private final ImageReferences images;
  private final Map<String, ImageConfig> imageConfigs = new ConcurrentHashMap<>();
  private final Set<String> stopped = ConcurrentHashMap.newKeySet();
  private final Map<String, Object> buildLocks = new ConcurrentHashMap<>();

  KubernetesExecutor(ComputeConfig config, RegistryConfig registry, AssetSource assets, Pods pods) {
    this.config = config;
    this.registry = registry;
    this.registryClient = new RegistryClient(registry);
    this.pods = pods;
    this.images = new ImageReferences(registry);
    this.kaniko = new KanikoBuild(config, assets, new KanikoPodBuilder(config, registry), pods);
    this.compute = new ComputePodRun(config, new ComputePodBuilder(config), pods);
  }

  private static String tag(Function function) {
    return ImageReferences.tag(function.getArchive().getChecksum());
  }

  @Override
  public boolean isBuilt(Function function) {
    return imageConfigs.containsKey(tag(function));
  }

  @Override
  public void build(Function function) throws IOException, InterruptedException, BuildFailure {
    String tag = tag(function);
    // a second build of the tag waits for the first, then finds its image in the registry
    synchronized (buildLocks.computeIfAbsent(tag, t -> new Object())) {
      buildOnce(function, tag);
    }
  }

  private void buildOnce(Function function, String tag)
      throws IOException, InterruptedException, BuildFailure {
    if (registryClient.exists(tag)) {
      // identical archives share the image: built before, by this function or another
      LOG.infof("image %s of function %s exists: not built", tag, function.getKey());
    } else {
      try {
        kaniko.build(function);
      } catch (BuildFailure e) {
        // a concurrent build of the same archive (another replica) pushed it meanwhile
        if (!registryClient.exists(tag)) {
          throw e;
        }
      }
      // a config kept from before the image was lost: read it again from the new image
      imageConfigs.remove(tag);
    }
    List<String> command = imageConfig(tag).command();
    if (command.isEmpty()) {
      throw new BuildFailure(
          "no command", "The image " + tag + " has no ENTRYPOINT nor CMD: nothing to run.");
    }
  }

  /** The image's command and working directory, from the registry the first time. */
  private ImageConfig imageConfig(String tag) throws IOException, InterruptedException {
    ImageConfig known = imageConfigs.get(tag);
    if (known != null) {
      return known;
    }
    ImageConfig image =
        registryClient
            .imageConfig(tag)
            .orElseThrow(
                () ->
                    new IOException("image " + tag + " is not in registry " + registry.address()));
    if (!image.command().isEmpty()) {
      imageConfigs.put(tag, image);
    }
    return image;
  }

  @Override
  public String sandboxPath(Path workspaceFolder, String folder) {
    return ComputePodBuilder.SANDBOX_DIR + "/" + folder;
  }

  @Override
  public Execution execute(TaskRun run) throws IOException, InterruptedException {
    Function function = run.function();
    String tag = tag(function);
    ImageConfig image = imageConfig(tag);
    if (image.command().isEmpty()) {
      throw new IOException("image " + tag + " has no ENTRYPOINT nor CMD");
    }
    OptionalInt nodePort =
        registry.local()
            ? registry.serviceName().map(pods::nodePort).orElse(OptionalInt.empty())
            : OptionalInt.empty();
    ComputePod request =
        new ComputePod(
            run.planKey(),
            tag,
            images.pullReference(tag, nodePort),
            run.chainkeys(),
            function.getOutputsMap().values().stream()
                .anyMatch(output -> output.getKind() == AssetKind.ASSET_MODEL),
            function.getOutputsMap().values().stream()
                .anyMatch(output -> output.getKind() == AssetKind.ASSET_PERFORMANCE),
            function.getMetadataMap(),
            image.workingDir());
    Path logs = run.workspace().logs(run.taskKey());
    stopped.remove(run.planKey());
    try {
      int exit = compute.run(request, image.command(), logs);
      return new Execution(exit, stopped.remove(run.planKey()), logs);
    } catch (ComputePodRun.TimeLimitExceeded e) {
      if (stopped.remove(run.planKey())) {
        return new Execution(-1, true, logs);
      }
      LOG.infof("task %s: %s", run.taskKey(), e.getMessage());
      return Execution.overLimit(logs, TaskLimits.wallClockExceeded(e.limit()));
    } catch (IOException e) {
      if (stopped.remove(run.planKey())) {
        // the cancel deleted the pod under the exec
        return new Execution(-1, true, logs);
      }
      if (e instanceof ComputePodRun.NotStarted) {
        // perhaps the image left the registry: the next attempt asks it again (prepare) and builds
        // the image here if it is gone
        imageConfigs.remove(tag);
      }
      throw e;
    }
  }

  @Override
  public boolean stop(String planKey) {
    stopped.add(planKey);
    compute.stop(planKey);
    return true;
  }

  /** Deletes the plan's compute pods, waiting until they are gone (worker-spec §5.4). */
  @Override
  public void tearDown(String planKey) {
    compute.stop(planKey);
  }
}
