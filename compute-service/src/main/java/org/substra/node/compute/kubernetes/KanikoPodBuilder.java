package org.substra.node.compute.kubernetes;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.substra.node.compute.config.ComputeConfig;
import org.substra.node.compute.config.RegistryConfig;
import org.substra.node.compute.registry.ImageReferences;

/**
 * The Kaniko pod that builds one function image from a build directory in this replica's work
 * volume and pushes it to the node's registry (worker-spec §4.3). Pure: same inputs, same pod.
 */
@Singleton
public class KanikoPodBuilder {

  static final String CONTAINER = "kaniko";
  static final String DOCKERFILE_VOLUME = "dockerfile";
  static final String CACHE_VOLUME = "cache";
  static final String DOCKER_CONFIG_VOLUME = "docker-config";

  /** Kaniko's default cache directory, so base images warmed by the chart are found. */
  static final String CACHE_PATH = "/cache";

  static final String DOCKER_CONFIG_PATH = "/kaniko/.docker";

  private final ComputeConfig config;
  private final RegistryConfig registry;
  private final ImageReferences images;
  private final ResourceRequirements resources;

  public KanikoPodBuilder(ComputeConfig config, RegistryConfig registry) {
    this.config = config;
    this.registry = registry;
    this.images = new ImageReferences(registry);
    this.resources =
        JsonSetting.parse(
            "compute.kaniko.resources", config.kaniko().resources(), ResourceRequirements.class);
  }

  /** Kaniko pod of an image tag; a second build of the same tag finds the first one's pod. */
  public static String podName(String imageTag) {
    String lastSegment = imageTag.substring(imageTag.lastIndexOf('/') + 1);
    return "kaniko-" + lastSegment.replace('_', '-').toLowerCase(Locale.ROOT);
  }

  /**
   * @param imageTag tag to push under the user image repository
   * @param buildDir extracted function archive with its Dockerfile, inside the work directory
   */
  public Pod build(String imageTag, Path buildDir) {
    Path workDir = config.workDir().toAbsolutePath().normalize();
    Path dir = buildDir.toAbsolutePath().normalize();
    if (!dir.startsWith(workDir) || dir.equals(workDir)) {
      // Kaniko sees the build directory through a subPath of the work claim, nothing else.
      throw new IllegalArgumentException(buildDir + " is not inside " + workDir);
    }
    String name = podName(imageTag);
    String replica = config.kubernetes().podName();

    List<Volume> volumes = new ArrayList<>();
    List<VolumeMount> mounts = new ArrayList<>();
    volumes.add(claimVolume(DOCKERFILE_VOLUME, config.kubernetes().workClaim() + "-" + replica));
    mounts.add(
        new VolumeMountBuilder()
            .withName(DOCKERFILE_VOLUME)
            .withMountPath(dir.toString())
            .withSubPath(workDir.relativize(dir).toString())
            .withReadOnly(true)
            .build());
    volumes.add(claimVolume(CACHE_VOLUME, config.kubernetes().cacheClaim() + "-" + replica));
    mounts.add(
        new VolumeMountBuilder()
            .withName(CACHE_VOLUME)
            .withMountPath(CACHE_PATH)
            .withReadOnly(true)
            .build());
    config
        .kaniko()
        .dockerConfigSecretName()
        .ifPresent(
            secret -> {
              volumes.add(
                  new VolumeBuilder()
                      .withName(DOCKER_CONFIG_VOLUME)
                      .withNewSecret()
                      .withSecretName(secret)
                      .addNewItem()
                      .withKey(".dockerconfigjson")
                      .withPath("config.json")
                      .endItem()
                      .endSecret()
                      .build());
              mounts.add(
                  new VolumeMountBuilder()
                      .withName(DOCKER_CONFIG_VOLUME)
                      .withMountPath(DOCKER_CONFIG_PATH)
                      .withReadOnly(true)
                      .build());
            });

    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withLabels(labels(name))
        .endMetadata()
        .withNewSpec()
        .withRestartPolicy("Never")
        // compute-service deletes a build past its timeouts; this ends one it no longer watches
        // (a crash, a restart)
        .withActiveDeadlineSeconds(
            config.kaniko().startupTimeout().plus(config.kaniko().buildTimeout()).toSeconds())
        // Kaniko needs no Kubernetes identity nor the namespace's service addresses
        .withAutomountServiceAccountToken(false)
        .withEnableServiceLinks(false)
        .withAffinity(sameNodeAs(replica))
        .addNewContainer()
        .withName(CONTAINER)
        .withImage(config.kaniko().image())
        .withArgs(args(imageTag, dir))
        .withResources(resources)
        .withVolumeMounts(mounts)
        // Kaniko unpacks base images as root inside its own container; it needs these
        // capabilities to set file ownership, but not privileges or escalation.
        .withNewSecurityContext()
        .withRunAsUser(0L)
        .withRunAsGroup(0L)
        .withRunAsNonRoot(false)
        .withPrivileged(false)
        .withAllowPrivilegeEscalation(false)
        .withNewCapabilities()
        .addToDrop("ALL")
        .addToAdd("CHOWN", "SETUID", "SETGID", "FOWNER", "DAC_OVERRIDE", "SETFCAP")
        .endCapabilities()
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .endSecurityContext()
        .endContainer()
        .withVolumes(volumes)
        .endSpec()
        .build();
  }

  private List<String> args(String imageTag, Path dir) {
    List<String> args = new ArrayList<>();
    args.add("--dockerfile=" + dir.resolve("Dockerfile"));
    args.add("--context=dir://" + dir);
    args.add("--destination=" + images.pushReference(imageTag));
    args.add("--cache=true");
    args.add("--log-timestamp=true");
    args.add("--snapshot-mode=redo");
    args.add("--push-retry=3");
    args.add("--cache-copy-layers");
    args.add("--cache-run-layers");
    args.add("--log-format=text");
    args.add("--verbosity=" + config.kaniko().verbosity());
    if (registry.insecure()) {
      args.add("--insecure");
    }
    if (config.kaniko().mirror()) {
      args.add("--registry-mirror=" + registry.address());
      if (registry.insecure()) {
        args.add("--insecure-pull");
      }
    }
    return args;
  }

  private static Map<String, String> labels(String name) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(PodLabels.POD_NAME, name);
    labels.put(PodLabels.POD_TYPE, PodLabels.TYPE_IMAGE_BUILD);
    labels.put(PodLabels.COMPONENT, PodLabels.COMPONENT_VALUE);
    labels.put(PodLabels.ROLE_REGISTRY_CLIENT, "true");
    labels.put(PodLabels.ROLE_INTERNET_EGRESS, "true");
    return labels;
  }

  static Volume claimVolume(String name, String claim) {
    return new VolumeBuilder()
        .withName(name)
        .withNewPersistentVolumeClaim()
        .withClaimName(claim)
        .endPersistentVolumeClaim()
        .build();
  }

  /** The replica's claims are ReadWriteOnce: pods that mount them must share its node. */
  static Affinity sameNodeAs(String replicaPod) {
    return new AffinityBuilder()
        .withNewPodAffinity()
        .addNewRequiredDuringSchedulingIgnoredDuringExecution()
        .withNewLabelSelector()
        .addNewMatchExpression()
        .withKey(PodLabels.STATEFULSET_POD_NAME)
        .withOperator("In")
        .withValues(replicaPod)
        .endMatchExpression()
        .endLabelSelector()
        .withTopologyKey(PodLabels.HOSTNAME_TOPOLOGY)
        .endRequiredDuringSchedulingIgnoredDuringExecution()
        .endPodAffinity()
        .build();
  }
}
