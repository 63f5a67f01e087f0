package org.substra.node.compute.kubernetes;

import com.fasterxml.jackson.core.type.TypeReference;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import org.substra.node.compute.config.ComputeConfig;

/**
 * The long-lived pod in which the tasks of one compute plan that use one function image are exec'd
 * (worker-spec §5). Pure: same inputs, same pod.
 */
@Singleton
public class ComputePodBuilder {

  /**
   * Function metadata key through which a function asks for a number of GPUs, overriding {@code
   * compute.pod.gpu.count} (0 removes GPUs that {@code compute.pod.resources} would give).
   */
  public static final String GPUS_METADATA_KEY = "substra.ai/gpus";

  /** Where the function container sees its task folders. */
  public static final String SANDBOX_DIR = "/substra_internal";

  static final String WORK_VOLUME = "subtuple";

  /**
   * The function's scratch directory, writable under a read-only root filesystem and bounded with
   * the pod's ephemeral storage; the container's {@code TMPDIR}.
   */
  public static final String TMP_DIR = "/tmp";

  static final String SCRATCH_VOLUME = "scratch";

  static final String CPU = "cpu";
  static final String MEMORY = "memory";
  static final String EPHEMERAL_STORAGE = "ephemeral-storage";

  /**
   * Requests that {@code compute.pod.resources} leaves out are this share of the limit. A compute
   * pod lives as long as its plan and idles between its tasks, and every pod of a replica (one per
   * plan and function image) must sit on the replica's node, where its ReadWriteOnce claim is:
   * requests equal to the limits would reserve several times what runs at once and leave later pods
   * unschedulable. A quarter keeps the scale of upstream's defaults (1Gi memory requested).
   */
  static final int REQUEST_SHARE = 4;

  /**
   * Idles until tasks are exec'd into it and exits 0 on the TERM of a deletion, so a deleted pod
   * does not look failed. Images therefore need /bin/sh and tail.
   */
  static final List<String> IDLE_COMMAND =
      List.of("/bin/sh", "-c", "trap 'exit 0' TERM; tail -f /dev/null & wait");

  private final ComputeConfig config;
  private final ResourceRequirements resources;
  private final Map<String, String> nodeSelector;
  private final List<Toleration> tolerations;
  private final Affinity affinity;
  private final Duration activeDeadline;

  public ComputePodBuilder(ComputeConfig config) {
    this.config = config;
    ComputeConfig.Pod pod = config.pod();
    this.resources =
        withLimitDefaults(
            JsonSetting.parse("compute.pod.resources", pod.resources(), ResourceRequirements.class),
            config.limits());
    this.nodeSelector =
        JsonSetting.parse(
            "compute.pod.node-selector", pod.nodeSelector(), new TypeReference<>() {});
    this.tolerations =
        JsonSetting.parse("compute.pod.tolerations", pod.tolerations(), new TypeReference<>() {});
    this.affinity =
        pod.affinity()
            .map(json -> JsonSetting.parse("compute.pod.affinity", json, Affinity.class))
            .orElseGet(() -> KanikoPodBuilder.sameNodeAs(config.kubernetes().podName()));
    if (pod.gpu().count() < 0 || pod.gpu().count() > pod.gpu().max()) {
      throw new IllegalArgumentException(
          "compute.pod.gpu.count must be between 0 and compute.pod.gpu.max");
    }
    Duration timeout = config.limits().timeout();
    if (timeout.toSeconds() < 1) {
      throw new IllegalArgumentException("compute.limits.timeout must be at least 1s");
    }
    this.activeDeadline = pod.activeDeadline().orElse(timeout.multipliedBy(2));
    if (activeDeadline.compareTo(timeout) <= 0) {
      // A task starts only in a pod with its whole time limit left: it would never find one.
      throw new IllegalArgumentException(
          "compute.pod.active-deadline ("
              + activeDeadline
              + ") must exceed compute.limits.timeout ("
              + timeout
              + ")");
    }
  }

  /** Compute pod of a (compute plan, image); tasks of the plan find it again by this name. */
  public static String podName(String computePlanKey, String imageTag) {
    return "substra-"
        + computePlanKey.substring(0, 8).toLowerCase(Locale.ROOT)
        + "-compute-"
        + imageTag.replace('_', '-').toLowerCase(Locale.ROOT);
  }

  /**
   * The name of the plan's pod when another plan whose key starts with the same 8 characters holds
   * {@link #podName}: 16 hex digits of the key, still within the 63 characters of a container name.
   */
  public static String distinctPodName(String computePlanKey, String imageTag) {
    return "substra-"
        + computePlanKey.replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT)
        + "-compute-"
        + imageTag.replace('_', '-').toLowerCase(Locale.ROOT);
  }

  /** Labels that find the pod of a (compute plan, image) when a later task of the plan runs. */
  public static Map<String, String> reuseSelector(String computePlanKey, String imageTag) {
    return Map.of(
        PodLabels.COMPUTE_PLAN_KEY, computePlanKey,
        PodLabels.FUNCTION_KEY, imageTag);
  }

  public Pod build(ComputePod request) {
    return build(request, podName(request.computePlanKey(), request.imageTag()));
  }

  /** The pod under another name (see {@link #distinctPodName}). */
  public Pod build(ComputePod request, String name) {
    ComputeConfig.Pod pod = config.pod();
    int gpus = gpus(request.functionMetadata()).orElse(-1);

    List<Volume> volumes = new ArrayList<>();
    volumes.add(
        KanikoPodBuilder.claimVolume(
            WORK_VOLUME, config.kubernetes().workClaim() + "-" + config.kubernetes().podName()));
    volumes.add(
        new VolumeBuilder()
            .withName(SCRATCH_VOLUME)
            .withNewEmptyDir()
            .withSizeLimit(resources.getLimits().get(EPHEMERAL_STORAGE))
            .endEmptyDir()
            .build());
    List<VolumeMount> mounts = taskMounts(request);
    mounts.addAll(scratchMounts(request));
    if (gpus > 0 && pod.gpu().hostDevices()) {
      for (int i = 0; i < gpus; i++) {
        String device = "nvidia" + i;
        volumes.add(
            new VolumeBuilder()
                .withName(device)
                .withNewHostPath()
                .withPath("/dev/" + device)
                .endHostPath()
                .build());
        mounts.add(
            new VolumeMountBuilder()
                .withName(device)
                .withMountPath("/dev/" + device)
                .withReadOnly(true)
                .build());
      }
    }

    List<EnvVar> env = new ArrayList<>();
    // whatever the image says: the rest of its filesystem is read-only
    env.add(new EnvVar("TMPDIR", TMP_DIR, null));
    pod.organizationIndex()
        .ifPresent(index -> env.add(new EnvVar("ORGANIZATION_INDEX", index, null)));

    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withLabels(labels(name, request))
        .endMetadata()
        .withNewSpec()
        .withRestartPolicy("Never")
        .withTerminationGracePeriodSeconds(0L)
        .withActiveDeadlineSeconds(activeDeadline.toSeconds())
        // functions get no Kubernetes identity, nor the addresses of the namespace's services
        .withAutomountServiceAccountToken(false)
        .withEnableServiceLinks(false)
        .withImagePullSecrets(
            config.kaniko().dockerConfigSecretName().map(LocalObjectReference::new).stream()
                .toList())
        .withNodeSelector(nodeSelector.isEmpty() ? null : nodeSelector)
        .withTolerations(tolerations)
        .withAffinity(affinity)
        .withNewSecurityContext()
        .withRunAsNonRoot(true)
        .withRunAsUser(pod.runAsUser())
        .withRunAsGroup(pod.runAsGroup())
        .withFsGroup(pod.fsGroup())
        .endSecurityContext()
        .addNewContainer()
        .withName(name)
        .withImage(request.image())
        .withCommand(IDLE_COMMAND)
        .withEnv(env)
        .withResources(resources(gpus))
        .withVolumeMounts(mounts)
        .withNewSecurityContext()
        .withPrivileged(false)
        .withAllowPrivilegeEscalation(false)
        .withReadOnlyRootFilesystem(pod.readOnlyRootFilesystem())
        .withRunAsNonRoot(true)
        .withRunAsUser(pod.runAsUser())
        .withRunAsGroup(pod.runAsGroup())
        .withNewCapabilities()
        .addToDrop("ALL")
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

  /**
   * GPUs the function gets when its metadata or the configuration says so; empty leaves {@code
   * compute.pod.resources} as configured.
   *
   * @throws IllegalArgumentException when the metadata asks for something that cannot be given: the
   *     function is misdeclared and no retry will help
   */
  OptionalInt gpus(Map<String, String> functionMetadata) {
    ComputeConfig.Gpu gpu = config.pod().gpu();
    String requested = functionMetadata.get(GPUS_METADATA_KEY);
    if (requested != null) {
      int count;
      try {
        count = Integer.parseInt(requested.strip());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            GPUS_METADATA_KEY + " must be a whole number, got '" + requested + "'");
      }
      if (count < 0 || count > gpu.max()) {
        throw new IllegalArgumentException(
            GPUS_METADATA_KEY + " must be between 0 and " + gpu.max() + ", got " + count);
      }
      return OptionalInt.of(count);
    }
    return gpu.count() > 0 ? OptionalInt.of(gpu.count()) : OptionalInt.empty();
  }

  private ResourceRequirements resources(int gpus) {
    ResourceRequirementsBuilder builder = new ResourceRequirementsBuilder(resources);
    if (gpus < 0) {
      return builder.build();
    }
    String resource = config.pod().gpu().resource();
    Map<String, Quantity> limits = new LinkedHashMap<>(nonNull(resources.getLimits()));
    Map<String, Quantity> requests = new LinkedHashMap<>(nonNull(resources.getRequests()));
    // Extended resources cannot be overcommitted: a request, if any, must equal the limit.
    requests.remove(resource);
    if (gpus == 0) {
      limits.remove(resource);
    } else {
      limits.put(resource, new Quantity(Integer.toString(gpus)));
    }
    return builder.withLimits(limits).withRequests(requests).build();
  }

  /**
   * {@code compute.pod.resources} with what it leaves out of memory, cpu and ephemeral storage
   * taken from {@code compute.limits}: the limit is the configured one, or an explicit request
   * above it (the operator asked for that much); the request is a {@link #REQUEST_SHARE share} of
   * the limit. Without an explicit request Kubernetes would request the whole limit.
   */
  static ResourceRequirements withLimitDefaults(
      ResourceRequirements explicit, ComputeConfig.Limits defaults) {
    Map<String, Quantity> limits = new LinkedHashMap<>(nonNull(explicit.getLimits()));
    Map<String, Quantity> requests = new LinkedHashMap<>(nonNull(explicit.getRequests()));
    Map<String, Quantity> configured = new LinkedHashMap<>();
    configured.put(CPU, defaults.cpu());
    configured.put(MEMORY, defaults.memory());
    configured.put(EPHEMERAL_STORAGE, defaults.disk());
    configured.forEach(
        (resource, limit) -> {
          Quantity request = requests.get(resource);
          Quantity effective =
              limits.computeIfAbsent(
                  resource, r -> request != null && request.compareTo(limit) > 0 ? request : limit);
          requests.computeIfAbsent(resource, r -> share(resource, effective));
        });
    return new ResourceRequirementsBuilder(explicit)
        .withLimits(limits)
        .withRequests(requests)
        .build();
  }

  /** The default request of a limit, in millicores or in whole mebibytes where it fits. */
  private static Quantity share(String resource, Quantity limit) {
    BigDecimal amount =
        limit.getNumericalAmount().divide(BigDecimal.valueOf(REQUEST_SHARE), MathContext.DECIMAL64);
    if (CPU.equals(resource)) {
      return new Quantity(
          amount.movePointRight(3).setScale(0, RoundingMode.CEILING).toString(), "m");
    }
    BigDecimal mebibytes = amount.divide(BigDecimal.valueOf(1L << 20), MathContext.DECIMAL64);
    if (mebibytes.signum() > 0 && mebibytes.stripTrailingZeros().scale() <= 0) {
      return new Quantity(mebibytes.toBigIntegerExact().toString(), "Mi");
    }
    return new Quantity(amount.setScale(0, RoundingMode.CEILING).toPlainString());
  }

  /**
   * The scratch volume's mounts: {@code /tmp}, and, under a read-only root filesystem, the folders
   * substra-tools creates in the working directory at start-up (it aborts on a read-only
   * filesystem, worker-spec §3): {@code model}, and {@code chainkeys} unless the plan's are
   * mounted.
   */
  private List<VolumeMount> scratchMounts(ComputePod request) {
    List<VolumeMount> mounts = new ArrayList<>();
    mounts.add(scratchMount(Path.of(TMP_DIR), "tmp"));
    if (config.pod().readOnlyRootFilesystem()) {
      List<String> folders = request.chainkeys() ? List.of("model") : List.of("model", "chainkeys");
      Path workingDir = Path.of(request.workingDir()).normalize();
      for (String folder : folders) {
        Path path = workingDir.resolve(folder);
        if (!path.startsWith(TMP_DIR)) {
          mounts.add(scratchMount(path, folder));
        }
      }
    }
    return mounts;
  }

  private static VolumeMount scratchMount(Path path, String subPath) {
    return new VolumeMountBuilder()
        .withName(SCRATCH_VOLUME)
        .withMountPath(path.toString())
        .withSubPath(subPath)
        .build();
  }

  private static <K, V> Map<K, V> nonNull(Map<K, V> map) {
    return map == null ? Map.of() : map;
  }

  private static List<VolumeMount> taskMounts(ComputePod request) {
    List<VolumeMount> mounts = new ArrayList<>();
    String taskDir = request.computePlanKey() + "/task/";
    mounts.add(mount("cli-args", taskDir, true));
    mounts.add(mount("data_samples", taskDir, true));
    mounts.add(mount("export", taskDir, false));
    mounts.add(mount("in_models", taskDir, true));
    mounts.add(mount("openers", taskDir, true));
    if (request.chainkeys()) {
      mounts.add(mount("chainkeys", taskDir, false));
    }
    if (request.performanceOutputs()) {
      mounts.add(mount("perf", taskDir, false));
    }
    if (request.modelOutputs()) {
      mounts.add(mount("out_models", taskDir, false));
    }
    return mounts;
  }

  private static VolumeMount mount(String folder, String taskDir, boolean readOnly) {
    return new VolumeMountBuilder()
        .withName(WORK_VOLUME)
        .withMountPath(SANDBOX_DIR + "/" + folder)
        .withSubPath(taskDir + folder)
        .withReadOnly(readOnly)
        .build();
  }

  private static Map<String, String> labels(String name, ComputePod request) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(PodLabels.POD_NAME, name);
    labels.put(PodLabels.POD_TYPE, PodLabels.TYPE_COMPUTE_TASK);
    labels.put(PodLabels.COMPONENT, PodLabels.COMPONENT_VALUE);
    labels.putAll(reuseSelector(request.computePlanKey(), request.imageTag()));
    return labels;
  }
}
