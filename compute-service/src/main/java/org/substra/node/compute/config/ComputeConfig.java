package org.substra.node.compute.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Settings of image builds and task execution. The chart sets the Kubernetes ones as {@code
 * COMPUTE_*} environment variables; the defaults are the chart's defaults.
 */
@ConfigMapping(prefix = "compute")
public interface ComputeConfig {

  /** Where builds and tasks run: Kaniko and compute pods, or local processes. */
  @WithDefault("kubernetes")
  Executor executor();

  /**
   * Root of the task working directories and of the asset cache; in Kubernetes the volume shared
   * with compute pods.
   */
  @WithDefault("/var/substra/medias/subtuple")
  Path workDir();

  /** Compute plans a replica runs at the same time (tasks of one plan always run one by one). */
  @WithDefault("1")
  int concurrency();

  /** This organization's MSP id: the identity of every orchestrator call. */
  @WithDefault("MyOrg1MSP")
  String mspId();

  /**
   * Public address of this node's api-service: models and failure logs are registered in the
   * orchestrator as URLs under it.
   */
  @WithDefault("http://127.0.0.1:8000")
  String apiUrl();

  /**
   * The folder under which data samples registered by server path must lie, checked again when they
   * are staged: api-service's {@code api.uploads.data-sample-root}, both from {@code
   * node.servermedias-dir} (the chart's {@code NODE_SERVERMEDIAS_DIR}).
   */
  @WithDefault("/var/substra/servermedias")
  Path dataSampleRoot();

  /**
   * What unpacking one function archive or data sample may produce: a zip bomb fails its build or
   * task instead of filling the disk. api-service refuses uploads over the same bounds ({@code
   * node.archives.*} sets both).
   */
  Archives archives();

  interface Archives {

    /**
     * Bytes an archive may unpack to: as large as the asset cache and a task's disk by default, a
     * larger sample would fit neither.
     */
    @WithDefault("10G")
    MemorySize maxSize();

    /**
     * Files and directories in one archive: a data sample is a handful of files, a shard of an
     * image dataset some thousands; each costs an inode and a hard link per task.
     */
    @WithDefault("100000")
    long maxEntries();

    /**
     * Bytes unpacked per byte of the archive read: CSV and text compress some 3 to 10 times, images
     * and arrays hardly; deflate reaches 1 000 only on runs of one byte. Data more compressible
     * than this (large sparse arrays) can be sent as a plain tar or a stored zip.
     */
    @WithDefault("100")
    long maxRatio();

    /** Bytes an archive may unpack to before its ratio is checked: small archives of text pass. */
    @WithDefault("64M")
    MemorySize ratioGrace();
  }

  /** Work messages from event-service (see event-service README, "Work messages"). */
  Work work();

  /** Fetching the input assets other organizations own (worker-spec §6.2). */
  OrgLink orgLink();

  interface OrgLink {

    /**
     * The secret this node's services use to call its own api-service as the organization (the same
     * as org-link-service's {@code org-link.self-secret}). Unset: assets of other organizations
     * cannot be fetched and such tasks fail with a message saying so.
     */
    Optional<String> selfSecret();

    /** The channel sent in {@code Substra-Channel-Name} when fetching those assets. */
    @WithDefault("mychannel")
    String channel();

    /** Timeout of one fetch (connect and whole answer). */
    @WithDefault("300s")
    java.time.Duration timeout();
  }

  /** Local executor (functions run as local processes). */
  Local local();

  /**
   * What one task may use, on either executor: the local sandbox enforces them as process limits,
   * compute pods get them as resource limits and a deadline. The chart maps its compute-pod
   * settings ({@code worker.computePod.*}) onto these.
   */
  Limits limits();

  interface Limits {

    /**
     * Memory of a task: the resident memory of all its processes in the local sandbox (each
     * process's address space at four times that), the container's memory limit in a pod.
     */
    @WithDefault("4Gi")
    io.fabric8.kubernetes.api.model.Quantity memory();

    /**
     * CPU cores of a task: a pod's CPU limit; locally the task's CPU time is bounded by cores times
     * {@link #timeout()}.
     */
    @WithDefault("2")
    io.fabric8.kubernetes.api.model.Quantity cpu();

    /** Wall-clock time of one task; then it is killed and fails naming this limit. */
    @WithDefault("24h")
    Duration timeout();

    /**
     * Processes and threads a task may have at once (a fork bomb meets this). Local executor only:
     * a pod spec has no such limit, the kubelet's {@code podPidsLimit} bounds every pod of a node.
     */
    @WithDefault("512")
    int processes();

    /**
     * Bytes a task may write: its output and scratch folders locally, ephemeral storage in a pod.
     */
    @WithDefault("10Gi")
    io.fabric8.kubernetes.api.model.Quantity disk();
  }

  /** Secure-aggregation chainkeys handed to the tasks of tagged plans (worker-spec §2.8). */
  Chainkeys chainkeys();

  interface Chainkeys {

    /**
     * Tasks of compute plans with a non-empty tag get the plan's chainkeys, read once from the
     * Kubernetes Secrets labelled {@code compute_plan=<tag>} (upstream {@code
     * TASK_CHAINKEYS_ENABLED}).
     */
    @WithDefault("false")
    boolean enabled();

    /** Namespace of the chainkey Secrets (upstream {@code K8S_SECRET_NAMESPACE}). */
    @WithDefault("default")
    String secretNamespace();
  }

  /** Where this replica runs; build and compute pods are placed next to it. */
  Kubernetes kubernetes();

  /** Shape of compute pods. */
  Pod pod();

  /** Shape of Kaniko build pods. */
  Kaniko kaniko();

  interface Work {

    /** Direct exchange event-service publishes to. */
    @WithDefault("compute")
    String exchange();

    /** Queue of build messages, consumed by every replica. */
    @WithDefault("compute.builds")
    String buildQueue();

    /** Task and cancel queues are {@code <prefix>.<replica index>}. */
    @WithDefault("compute.tasks")
    String taskQueuePrefix();

    /**
     * This replica's task queue index; absent = the ordinal suffix of {@code HOSTNAME} (StatefulSet
     * pod {@code compute-<i>}), else 0.
     */
    Optional<Integer> replicaIndex();

    /** Builds a replica runs at the same time. */
    @WithDefault("1")
    int buildConcurrency();

    /** Delay before a message whose handling failed on our side is delivered again. */
    @WithDefault("5s")
    Duration retryDelay();

    /**
     * Attempts of a task or build whose failure is ours (internal errors) before an INTERNAL_ERROR
     * failure report ends it.
     */
    @WithDefault("3")
    int maxAttempts();
  }

  interface Local {

    /**
     * Replaces {@code argv[0]} of a Dockerfile ENTRYPOINT that names a Python interpreter ({@code
     * python}, {@code python3}, ...): images carry their own Python, a local node uses this one.
     */
    @WithDefault("python3")
    String python();

    /**
     * Extra environment of function processes, for example {@code PYTHONPATH} giving substratools.
     */
    Map<String, String> env();

    /** Environment variables of this service passed on to function processes. */
    @WithDefault("PATH,HOME,LANG,LC_ALL,TMPDIR")
    List<String> inheritEnv();

    /** How long a cancelled function process may take to stop before it is killed. */
    @WithDefault("5s")
    Duration stopGrace();

    /**
     * Megabytes of asset cache (data samples, openers, models) kept between tasks; the least
     * recently used assets go first.
     */
    @WithDefault("10240")
    long cacheMegabytes();

    /** The sandbox every function process runs in (see compute-service README, trust model). */
    Sandbox sandbox();
  }

  interface Sandbox {

    /**
     * Run functions in a bubblewrap sandbox. Off, or where the sandbox cannot start, functions of
     * other organizations are refused and this organization's own run only with {@link
     * #allowUnsandboxedOwnFunctions()}.
     */
    @WithDefault("true")
    boolean enabled();

    /** The bubblewrap executable. */
    @WithDefault("bwrap")
    String bwrap();

    /**
     * When this service runs as root, functions run as this host user id plus the plan's slot (0 to
     * {@code compute.concurrency - 1}): an unprivileged id that owns no file of the node, and one
     * per concurrent plan so that process limits do not add up. As another user, functions keep
     * that user's id (still in their own user namespace).
     */
    @WithDefault("100000")
    int uid();

    /**
     * Where the sandbox cannot start (or is off), still run this organization's own functions,
     * unsandboxed: only for a node whose operator trusts every function its own users register.
     */
    @WithDefault("false")
    boolean allowUnsandboxedOwnFunctions();

    /**
     * Host files and folders functions see read-only at the same path, besides the minimal system
     * ({@link #systemPaths()}), the interpreter's installation and the folders of {@code
     * compute.local.env.PYTHONPATH}, which are added by themselves.
     */
    Optional<List<Path>> readOnlyPaths();

    /**
     * The minimal system functions see read-only: interpreters, libraries, dynamic loader and time
     * zones; none of it holds a secret of the node. Missing paths are skipped; links are recreated
     * as links.
     */
    @WithDefault(
        "/usr,/bin,/sbin,/lib,/lib32,/lib64,/libx32,/etc/ld.so.cache,/etc/ld.so.conf,"
            + "/etc/ld.so.conf.d,/etc/alternatives,/etc/localtime,/etc/nsswitch.conf")
    List<Path> systemPaths();

    /** How often the memory and disk use of a running task is checked. */
    @WithDefault("250ms")
    Duration checkInterval();
  }

  enum Executor {
    KUBERNETES,
    LOCAL
  }

  interface Kubernetes {

    @WithDefault("default")
    String namespace();

    /**
     * This replica's pod name: build and compute pods need its node (its claims are ReadWriteOnce)
     * and its claims are named after it.
     */
    @WithDefault("compute-0")
    String podName();

    /** This replica's node, for diagnostics. */
    Optional<String> nodeName();

    /** Claim template of the work directory; the replica's claim is {@code <template>-<pod>}. */
    @WithDefault("subtuple")
    String workClaim();

    /** Claim template of the Kaniko base-image cache; the claim is {@code <template>-<pod>}. */
    @WithDefault("docker-cache")
    String cacheClaim();
  }

  interface Pod {

    /** How long a new compute pod may take to reach Running before the task is retried. */
    @WithDefault("300s")
    Duration startupTimeout();

    /** How long a deleted pod may take to disappear (upstream waits forever). */
    @WithDefault("60s")
    Duration deletionTimeout();

    @WithDefault("1001")
    long fsGroup();

    @WithDefault("1001")
    long runAsUser();

    @WithDefault("1001")
    long runAsGroup();

    /**
     * Kubernetes {@code ResourceRequirements} as JSON. Memory, cpu and ephemeral-storage it leaves
     * out come from {@link ComputeConfig#limits()}: the limit is that value (or an explicit request
     * above it), the request a quarter of the limit.
     */
    @WithDefault("{}")
    String resources();

    /**
     * Longest life of a compute pod (its {@code activeDeadlineSeconds}): a pod serves the tasks of
     * one plan that use one image, one after another, so this bounds the pod, not a task (a task is
     * bounded by {@code compute.limits.timeout}). It frees the node when compute-service is not
     * there to end the pod (a crash, a teardown lost); a task never starts in a pod with less than
     * {@code compute.limits.timeout} left, it gets a fresh pod. Must exceed {@code
     * compute.limits.timeout}; absent = twice it.
     */
    Optional<Duration> activeDeadline();

    /**
     * The compute container's root filesystem is read-only; a function writes only in its output
     * folders and in the scratch volume ({@code /tmp}, plus {@code model} and {@code chainkeys}
     * under the image's working directory, where substra-tools creates folders). {@code false} only
     * for images that must write elsewhere.
     */
    @WithDefault("true")
    boolean readOnlyRootFilesystem();

    /** Node labels as a JSON object. */
    @WithDefault("{}")
    String nodeSelector();

    /** Kubernetes tolerations as a JSON array. */
    @WithDefault("[]")
    String tolerations();

    /**
     * Kubernetes {@code Affinity} as JSON; when absent, compute pods must run on this replica's
     * node, where its ReadWriteOnce work claim is mounted.
     */
    Optional<String> affinity();

    /** Copied into the compute container's environment (secure aggregation). */
    Optional<String> organizationIndex();

    Gpu gpu();
  }

  interface Gpu {

    /**
     * GPUs given to every compute pod; a function's metadata {@code substra.ai/gpus} overrides it.
     * Zero leaves {@code resources} alone.
     */
    @WithDefault("0")
    int count();

    /** Extended resource name of the device plugin. */
    @WithDefault("nvidia.com/gpu")
    String resource();

    /** The most GPUs a function may ask for through its metadata. */
    @WithDefault("8")
    int max();

    /**
     * Also mount {@code /dev/nvidia<i>} from the host, as GKE GPU sharing needs (upstream behaviour
     * of {@code COMPUTE_POD_GKE_GPUS_LIMITS}).
     */
    @WithDefault("false")
    boolean hostDevices();
  }

  interface Kaniko {

    @WithDefault("gcr.io/kaniko-project/executor:v1.23.2")
    String image();

    /** Pull base images through the node's registry used as a mirror. */
    @WithDefault("false")
    boolean mirror();

    /**
     * Secret ({@code .dockerconfigjson}) with registry credentials: Kaniko's pull and push
     * credentials, and the compute pods' image pull secret.
     */
    Optional<String> dockerConfigSecretName();

    /** Kubernetes {@code ResourceRequirements} of the Kaniko container as JSON. */
    @WithDefault("{}")
    String resources();

    /** Kaniko's {@code --verbosity}. */
    @WithDefault("info")
    String verbosity();

    /** How long a Kaniko pod may stay Pending or waiting for its container. */
    @WithDefault("120s")
    Duration startupTimeout();

    /** How long a build may run once started (upstream: the build lock TTL). */
    @WithDefault("3600s")
    Duration buildTimeout();
  }
}
