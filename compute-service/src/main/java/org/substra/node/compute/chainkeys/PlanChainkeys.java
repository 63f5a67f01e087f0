package org.substra.node.compute.chainkeys;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;
import org.substra.node.compute.config.ComputeConfig;
import org.substra.node.orchestrator.protocol.ComputePlan;

/**
 * Secure-aggregation chainkeys (worker-spec §2.8): for the tagged plans of a node with {@code
 * compute.chainkeys.enabled}, the plan's {@code <work>/<plan>/chainkeys/chainkeys.json} is written
 * once from the Kubernetes Secrets labelled {@code compute_plan=<plan tag>}, which are then emptied
 * so that each key serves once. Tasks get a copy in their {@code chainkeys} folder and give it back
 * when they succeed.
 */
@ApplicationScoped
public class PlanChainkeys {

  private static final Logger LOG = Logger.getLogger(PlanChainkeys.class);
  static final String FILE = "chainkeys.json";
  static final String INDEX_LABEL = "index";
  static final String KEY = "key";

  private final boolean enabled;
  private final String namespace;
  private final Optional<ChainkeySecrets> secrets;

  @Inject
  PlanChainkeys(ComputeConfig config, Instance<KubernetesClient> client) {
    this(
        config.chainkeys(),
        config.chainkeys().enabled() && clusterConfigured(config)
            ? Optional.of(new ChainkeySecrets(client.get(), config.chainkeys().secretNamespace()))
            : Optional.empty());
  }

  /**
   * @param secrets where the Secrets are read, empty when no cluster is configured
   */
  public PlanChainkeys(ComputeConfig.Chainkeys config, Optional<ChainkeySecrets> secrets) {
    this.enabled = config.enabled();
    this.namespace = config.secretNamespace();
    this.secrets = secrets;
  }

  /**
   * The Kubernetes executor runs in a cluster; a local node reads Secrets only from a cluster it is
   * told about.
   */
  private static boolean clusterConfigured(ComputeConfig config) {
    var settings = ConfigProvider.getConfig();
    return config.executor() == ComputeConfig.Executor.KUBERNETES
        || settings
            .getOptionalValue("quarkus.kubernetes-client.api-server-url", String.class)
            .isPresent()
        // fabric8's own setting (KUBERNETES_MASTER)
        || settings.getOptionalValue("kubernetes.master", String.class).isPresent();
  }

  /** Whether the tasks of {@code plan} get chainkeys: enabled here and the plan is tagged. */
  public boolean applies(ComputePlan plan) {
    return enabled && !plan.getTag().isEmpty();
  }

  /**
   * Fills {@code taskFolder} with the plan's chainkeys, fetching them first if the plan has none
   * yet.
   *
   * @return false when the plan has no chainkeys (disabled, untagged): nothing was read
   */
  public boolean prepare(ComputePlan plan, Path planDir, Path taskFolder) throws IOException {
    if (!applies(plan)) {
      return false;
    }
    Path committed = planDir.resolve("chainkeys");
    Files.createDirectories(committed);
    if (isEmpty(committed)) {
      fetch(plan.getTag(), committed);
    }
    Files.createDirectories(taskFolder);
    try (Stream<Path> files = Files.list(committed)) {
      for (Path file : files.toList()) {
        Files.copy(
            file, taskFolder.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    return true;
  }

  /** After a task's success: what it left in its chainkeys folder becomes the plan's. */
  public void commit(Path planDir, Path taskFolder) throws IOException {
    Path committed = planDir.resolve("chainkeys");
    Files.createDirectories(committed);
    try (Stream<Path> files = Files.list(taskFolder)) {
      for (Path file : files.toList()) {
        if (Files.isRegularFile(file)) {
          Files.move(
              file, committed.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  private void fetch(String tag, Path committed) throws IOException {
    ChainkeySecrets source =
        secrets.orElseThrow(
            () ->
                new ChainkeysUnavailable(
                    "chainkeys are enabled (compute.chainkeys.enabled) but no Kubernetes cluster"
                        + " is configured to read their Secrets from (compute.executor=local"
                        + " without quarkus.kubernetes-client.api-server-url nor kubernetes.master)"));
    List<Secret> found = source.list(tag);
    if (found.isEmpty()) {
      throw new ChainkeysUnavailable(
          "no chainkeys: no Secret labelled "
              + ChainkeySecrets.PLAN_LABEL
              + "="
              + tag
              + " in namespace "
              + namespace);
    }
    byte[] content = json(found);
    Path partial = committed.resolveSibling("chainkeys.partial");
    Files.write(partial, content);
    Files.move(partial, committed.resolve(FILE), StandardCopyOption.ATOMIC_MOVE);
    for (Secret secret : found) {
      source.empty(secret);
    }
    LOG.infof("chainkeys of plan tag %s: %d keys, their Secrets emptied", tag, found.size());
  }

  /**
   * {@code {"chain_keys": {"<index>": [<byte values>...]}}} and a newline, as upstream's {@code
   * json.dump} writes it (default separators).
   */
  static byte[] json(List<Secret> secrets) throws ChainkeysUnavailable {
    StringBuilder out = new StringBuilder("{\"chain_keys\": {");
    String separator = "";
    for (Secret secret : secrets) {
      String name = secret.getMetadata().getName();
      Map<String, String> labels = secret.getMetadata().getLabels();
      String index = labels == null ? null : labels.get(INDEX_LABEL);
      Map<String, String> data = secret.getData();
      String key = data == null ? null : data.get(KEY);
      if (index == null || key == null) {
        throw new ChainkeysUnavailable(
            "chainkey Secret "
                + name
                + " needs the label "
                + INDEX_LABEL
                + " and the data "
                + KEY
                + " (already used once?)");
      }
      byte[] bytes;
      try {
        bytes = Base64.getDecoder().decode(key.strip());
      } catch (IllegalArgumentException e) {
        throw new ChainkeysUnavailable("chainkey Secret " + name + ": key is not base64");
      }
      JsonArray values = new JsonArray();
      for (byte b : bytes) {
        values.add(b & 0xff);
      }
      out.append(separator)
          .append(Json.encode(index))
          .append(": ")
          .append(values.encode().replace(",", ", "));
      separator = ", ";
    }
    return out.append("}}\n").toString().getBytes(StandardCharsets.UTF_8);
  }

  private static boolean isEmpty(Path dir) throws IOException {
    try (Stream<Path> children = Files.list(dir)) {
      return children.findAny().isEmpty();
    }
  }
}
