package org.substra.node.compute.executor.kubernetes;

import io.vertx.core.json.JsonArray;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.substra.node.compute.config.ComputeConfig;
import org.substra.node.compute.config.RegistryConfig;
import org.substra.node.compute.executor.BuildFailure;
import org.substra.node.compute.executor.Executor;
import org.substra.node.compute.executor.TaskRun;
import org.substra.node.compute.kubernetes.ComputePod;
import org.substra.node.compute.kubernetes.ComputePodBuilder;
import org.substra.node.compute.kubernetes.KanikoPodBuilder;
import org.substra.node.compute.kubernetes.Pods;
import org.substra.node.compute.registry.ImageReferences;
import org.substra.node.compute.storage.AssetSource;
import org.substra.node.orchestrator.protocol.AssetKind;
import org.substra.node.orchestrator.protocol.Function;

/**
 * Production executor: Kaniko builds ({@link KanikoBuild}) and compute pods ({@link
 * ComputePodRun}). The command of a function is taken from its Dockerfile at build time and kept in
 * {@code <work-dir>/functions/<key>/command.json}; a replica that did not build the function builds
 * it again (same tag: Kaniko's cache makes it quick). Reading the entrypoint from the image config
 * in the registry instead (worker-spec §2.6) is left for the registry client.
 */
@ApplicationScoped
@Typed(KubernetesExecutor.class)
public class KubernetesExecutor implements Executor {

  private static final String COMMAND_FILE = "command.json";

  private final ComputeConfig config;
  private final RegistryConfig registry;
  private final KanikoBuild kaniko;
  private final ComputePodRun compute;
  private final Pods pods;
  private final ImageReferences images;
  private final Set<String> stopped = ConcurrentHashMap.newKeySet();

  KubernetesExecutor(ComputeConfig config, RegistryConfig registry, AssetSource assets, Pods pods) {
    this.config = config;
    this.registry = registry;
    this.pods = pods;
    this.images = new ImageReferences(registry);
    this.kaniko = new KanikoBuild(config, assets, new KanikoPodBuilder(config, registry), pods);
    this.compute = new ComputePodRun(config, new ComputePodBuilder(config), pods);
  }

  private Path commandFile(Function function) {
    return config.workDir().resolve("functions").resolve(function.getKey()).resolve(COMMAND_FILE);
  }

  @Override
  public boolean isBuilt(Function function) {
    return Files.isRegularFile(commandFile(function));
  }

  @Override
  public void build(Function function) throws IOException, BuildFailure {
    KanikoBuild.Built built = kaniko.build(function);
    Files.createDirectories(commandFile(function).getParent());
    Files.writeString(commandFile(function), new JsonArray(built.command()).encode());
  }

  @Override
  public String sandboxPath(Path workspaceFolder, String folder) {
    return ComputePodBuilder.SANDBOX_DIR + "/" + folder;
  }

  @Override
  public Execution execute(TaskRun run) throws IOException, InterruptedException {
    Function function = run.function();
    List<String> command = new ArrayList<>();
    new JsonArray(Files.readString(commandFile(function)))
        .forEach(token -> command.add((String) token));
    String tag = ImageReferences.tag(function.getArchive().getChecksum());
    OptionalInt nodePort =
        registry.local()
            ? registry.serviceName().map(pods::nodePort).orElse(OptionalInt.empty())
            : OptionalInt.empty();
    ComputePod request =
        new ComputePod(
            run.planKey(),
            tag,
            images.pullReference(tag, nodePort),
            false,
            function.getOutputsMap().values().stream()
                .anyMatch(output -> output.getKind() == AssetKind.ASSET_MODEL),
            function.getOutputsMap().values().stream()
                .anyMatch(output -> output.getKind() == AssetKind.ASSET_PERFORMANCE),
            function.getMetadataMap());
    Path logs = run.workspace().logs(run.taskKey());
    stopped.remove(run.planKey());
    try {
      int exit = compute.run(request, command, logs);
      return new Execution(exit, stopped.remove(run.planKey()), logs);
    } catch (IOException e) {
      if (stopped.remove(run.planKey())) {
        // the cancel deleted the pod under the exec
        return new Execution(-1, true, logs);
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
}
