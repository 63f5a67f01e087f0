package org.substra.node.compute.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.substra.node.compute.config.TestConfigs;

class ComputePodBuilderTest {

  private static final String PLAN = "1A2B3C4D-0000-4000-8000-000000000001";
  private static final String TAG = "function-0123456789abcdef";
  private static final String IMAGE = "127.0.0.1:31000/substra/user-image:" + TAG;

  @Test
  void oneNamedAndLabelledPodPerPlanAndImage() {
    Pod pod = build(request(false, false, false, Map.of()));

    String name = "substra-1a2b3c4d-compute-function-0123456789abcdef";
    assertThat(pod.getMetadata().getName()).isEqualTo(name);
    assertThat(pod.getMetadata().getLabels())
        .containsEntry("substra.ai/pod-name", name)
        .containsEntry("substra.ai/pod-type", "compute-task")
        .containsEntry("app.kubernetes.io/component", "substra-compute")
        .containsEntry("substra.ai/compute-plan-key", PLAN)
        .containsEntry("substra.ai/function-key", TAG)
        .containsAllEntriesOf(ComputePodBuilder.reuseSelector(PLAN, TAG))
        .doesNotContainKeys("role-registry-client", "role-internet-egress");
    assertThat(container(pod).getName()).isEqualTo(name);
    assertThat(container(pod).getImage()).isEqualTo(IMAGE);
  }

  @Test
  void idlesUntilTasksAreExecdAndIsNeverRestarted() {
    Pod pod = build(request(false, false, false, Map.of()));

    assertThat(container(pod).getCommand())
        .containsExactlyElementsOf(ComputePodBuilder.IDLE_COMMAND);
    assertThat(container(pod).getCommand().get(2)).contains("trap 'exit 0' TERM");
    assertThat(pod.getSpec().getRestartPolicy()).isEqualTo("Never");
    assertThat(pod.getSpec().getTerminationGracePeriodSeconds()).isZero();
  }

  @Test
  void functionsGetNoKubernetesIdentityNorServiceAddresses() {
    Pod pod = build(request(false, false, false, Map.of()));

    assertThat(pod.getSpec().getAutomountServiceAccountToken()).isFalse();
    assertThat(pod.getSpec().getEnableServiceLinks()).isFalse();
    assertThat(pod.getSpec().getServiceAccountName()).isNull();
    assertThat(pod.getSpec().getHostNetwork()).isNull();
  }

  @Test
  void mountsTheTaskFoldersOfThePlanFromThisReplicasClaim() {
    Pod pod =
        build(
            request(false, false, false, Map.of()),
            "compute.kubernetes.pod-name",
            "backend-compute-3",
            "compute.kubernetes.work-claim",
            "subtuple");

    assertThat(pod.getSpec().getVolumes())
        .filteredOn(v -> v.getPersistentVolumeClaim() != null)
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.getName()).isEqualTo("subtuple");
              assertThat(v.getPersistentVolumeClaim().getClaimName())
                  .isEqualTo("subtuple-backend-compute-3");
            });
    // inputs read-only, outputs writable (worker-spec §2.5)
    assertThat(container(pod).getVolumeMounts())
        .filteredOn(m -> m.getName().equals("subtuple"))
        .extracting(
            m -> m.getMountPath() + " <- " + m.getSubPath() + (m.getReadOnly() ? " ro" : " rw"))
        .containsExactly(
            "/substra_internal/cli-args <- " + PLAN + "/task/cli-args ro",
            "/substra_internal/data_samples <- " + PLAN + "/task/data_samples ro",
            "/substra_internal/export <- " + PLAN + "/task/export rw",
            "/substra_internal/in_models <- " + PLAN + "/task/in_models ro",
            "/substra_internal/openers <- " + PLAN + "/task/openers ro");
  }

  @Test
  void optionalMountsFollowChainkeysAndOutputs() {
    assertThat(mountPaths(build(request(true, false, false, Map.of()))))
        .contains("/substra_internal/chainkeys")
        .doesNotContain("/substra_internal/out_models", "/substra_internal/perf");
    assertThat(mountPaths(build(request(false, true, false, Map.of()))))
        .contains("/substra_internal/out_models")
        .doesNotContain("/substra_internal/chainkeys", "/substra_internal/perf");
    assertThat(mountPaths(build(request(false, false, true, Map.of()))))
        .contains("/substra_internal/perf")
        .doesNotContain("/substra_internal/chainkeys", "/substra_internal/out_models");
    VolumeMount models =
        mount(build(request(false, true, false, Map.of())), "/substra_internal/out_models");
    assertThat(models.getReadOnly()).isFalse();
    assertThat(models.getSubPath()).isEqualTo(PLAN + "/task/out_models");
  }

  @Test
  void runsAsTheConfiguredNonRootIdentity() {
    Pod pod =
        build(
            request(false, false, false, Map.of()),
            "compute.pod.run-as-user",
            "2000",
            "compute.pod.run-as-group",
            "3000",
            "compute.pod.fs-group",
            "4000");

    var podSecurity = pod.getSpec().getSecurityContext();
    assertThat(podSecurity.getRunAsNonRoot()).isTrue();
    assertThat(podSecurity.getRunAsUser()).isEqualTo(2000L);
    assertThat(podSecurity.getRunAsGroup()).isEqualTo(3000L);
    assertThat(podSecurity.getFsGroup()).isEqualTo(4000L);
    var security = container(pod).getSecurityContext();
    assertThat(security.getRunAsNonRoot()).isTrue();
    assertThat(security.getRunAsUser()).isEqualTo(2000L);
    assertThat(security.getRunAsGroup()).isEqualTo(3000L);
    assertThat(security.getPrivileged()).isFalse();
    assertThat(security.getAllowPrivilegeEscalation()).isFalse();
    assertThat(security.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(security.getCapabilities().getAdd()).isNullOrEmpty();
    assertThat(security.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(security.getReadOnlyRootFilesystem()).isTrue();
  }

  @Test
  void chartDefaultsGiveUser1001AndNoPlacementConstraintsButThisNode() {
    Pod pod = build(request(false, false, false, Map.of()), "compute.kubernetes.pod-name", "c-0");

    assertThat(pod.getSpec().getSecurityContext().getRunAsUser()).isEqualTo(1001L);
    assertThat(pod.getSpec().getSecurityContext().getFsGroup()).isEqualTo(1001L);
    assertThat(pod.getSpec().getNodeSelector()).isNullOrEmpty();
    assertThat(pod.getSpec().getTolerations()).isEmpty();
    assertThat(pod.getSpec().getImagePullSecrets()).isEmpty();
    assertThat(container(pod).getEnv())
        .extracting(EnvVar::getName, EnvVar::getValue)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("TMPDIR", "/tmp"));
    var term =
        pod.getSpec()
            .getAffinity()
            .getPodAffinity()
            .getRequiredDuringSchedulingIgnoredDuringExecution()
            .get(0);
    assertThat(term.getTopologyKey()).isEqualTo("kubernetes.io/hostname");
    assertThat(term.getLabelSelector().getMatchExpressions().get(0).getValues())
        .containsExactly("c-0");
  }

  @Test
  void placementResourcesAndPullSecretFromTheChartsJson() {
    Pod pod =
        build(
            request(false, false, false, Map.of()),
            "compute.pod.resources",
            "{\"requests\":{\"cpu\":\"1000m\",\"memory\":\"1Gi\"},\"limits\":{\"memory\":\"64Gi\"}}",
            "compute.pod.node-selector",
            "{\"pool\":\"compute\"}",
            "compute.pod.tolerations",
            "[{\"key\":\"dedicated\",\"operator\":\"Equal\",\"value\":\"substra\",\"effect\":\"NoSchedule\"}]",
            "compute.pod.affinity",
            "{\"nodeAffinity\":{\"requiredDuringSchedulingIgnoredDuringExecution\":{\"nodeSelectorTerms\":[{\"matchExpressions\":[{\"key\":\"zone\",\"operator\":\"In\",\"values\":[\"a\"]}]}]}}}",
            "compute.kaniko.docker-config-secret-name",
            "regcred",
            "compute.pod.organization-index",
            "2");

    assertThat(container(pod).getResources().getRequests())
        .containsEntry("cpu", new Quantity("1000m"))
        .containsEntry("memory", new Quantity("1Gi"));
    assertThat(container(pod).getResources().getLimits())
        .containsEntry("memory", new Quantity("64Gi"));
    assertThat(pod.getSpec().getNodeSelector()).containsExactly(Map.entry("pool", "compute"));
    assertThat(pod.getSpec().getTolerations())
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.getKey()).isEqualTo("dedicated");
              assertThat(t.getValue()).isEqualTo("substra");
              assertThat(t.getEffect()).isEqualTo("NoSchedule");
            });
    assertThat(pod.getSpec().getAffinity().getPodAffinity()).isNull();
    assertThat(
            pod.getSpec()
                .getAffinity()
                .getNodeAffinity()
                .getRequiredDuringSchedulingIgnoredDuringExecution()
                .getNodeSelectorTerms()
                .get(0)
                .getMatchExpressions()
                .get(0)
                .getKey())
        .isEqualTo("zone");
    assertThat(pod.getSpec().getImagePullSecrets())
        .extracting(LocalObjectReference::getName)
        .containsExactly("regcred");
    assertThat(container(pod).getEnv())
        .extracting(EnvVar::getName, EnvVar::getValue)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("TMPDIR", "/tmp"),
            org.assertj.core.groups.Tuple.tuple("ORGANIZATION_INDEX", "2"));
  }

  @Test
  void aTaskIsLimitedByComputeLimitsAndRequestsAQuarterOfThem() {
    Pod defaults = build(request(false, false, false, Map.of()));

    assertThat(container(defaults).getResources().getLimits())
        .containsOnly(
            Map.entry("cpu", new Quantity("2")),
            Map.entry("memory", new Quantity("4Gi")),
            Map.entry("ephemeral-storage", new Quantity("10Gi")));
    assertThat(container(defaults).getResources().getRequests())
        .containsOnly(
            Map.entry("cpu", new Quantity("500m")),
            Map.entry("memory", new Quantity("1024Mi")),
            Map.entry("ephemeral-storage", new Quantity("2560Mi")));

    Pod configured =
        build(
            request(false, false, false, Map.of()),
            "compute.limits.memory",
            "8Gi",
            "compute.limits.cpu",
            "3",
            "compute.limits.disk",
            "1G");
    assertThat(container(configured).getResources().getLimits())
        .containsOnly(
            Map.entry("cpu", new Quantity("3")),
            Map.entry("memory", new Quantity("8Gi")),
            Map.entry("ephemeral-storage", new Quantity("1G")));
    assertThat(container(configured).getResources().getRequests())
        .containsOnly(
            Map.entry("cpu", new Quantity("750m")),
            Map.entry("memory", new Quantity("2048Mi")),
            // not whole mebibytes: in bytes
            Map.entry("ephemeral-storage", new Quantity("250000000")));
  }

  @Test
  void explicitResourcesWinOverComputeLimits() {
    Pod pod =
        build(
            request(false, false, false, Map.of()),
            "compute.pod.resources",
            "{\"limits\":{\"memory\":\"64Gi\"},"
                + "\"requests\":{\"cpu\":\"3\",\"ephemeral-storage\":\"1Gi\"}}");

    assertThat(container(pod).getResources().getLimits())
        .containsOnly(
            Map.entry("memory", new Quantity("64Gi")),
            // a request above compute.limits.cpu raises the limit to it
            Map.entry("cpu", new Quantity("3")),
            Map.entry("ephemeral-storage", new Quantity("10Gi")));
    assertThat(container(pod).getResources().getRequests())
        .containsOnly(
            Map.entry("cpu", new Quantity("3")),
            Map.entry("memory", new Quantity("16384Mi")),
            Map.entry("ephemeral-storage", new Quantity("1Gi")));
  }

  @Test
  void theDeadlineBoundsThePodsLifeAndOutlivesATask() {
    assertThat(build(request(false, false, false, Map.of())).getSpec().getActiveDeadlineSeconds())
        .as("twice the 24h of compute.limits.timeout")
        .isEqualTo(48 * 3600L);
    assertThat(
            build(request(false, false, false, Map.of()), "compute.limits.timeout", "30m")
                .getSpec()
                .getActiveDeadlineSeconds())
        .isEqualTo(3600L);
    assertThat(
            build(request(false, false, false, Map.of()), "compute.pod.active-deadline", "7d")
                .getSpec()
                .getActiveDeadlineSeconds())
        .isEqualTo(7 * 24 * 3600L);
    assertThatThrownBy(
            () ->
                new ComputePodBuilder(
                    TestConfigs.compute(
                        "compute.pod.active-deadline", "2h", "compute.limits.timeout", "2h")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("compute.pod.active-deadline")
        .hasMessageContaining("compute.limits.timeout");
  }

  @Test
  void theRootFilesystemIsReadOnlyAndScratchIsBoundedWhereFunctionsWrite() {
    Pod pod =
        build(
            new ComputePod(PLAN, TAG, IMAGE, false, true, false, Map.of(), "/sandbox"),
            "compute.limits.disk",
            "3Gi");

    assertThat(container(pod).getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    Volume scratch = volume(pod, "scratch");
    assertThat(scratch.getEmptyDir().getSizeLimit()).isEqualTo(new Quantity("3Gi"));
    assertThat(scratch.getEmptyDir().getMedium()).isNull();
    // substra-tools creates model/ and chainkeys/ in its working directory at start-up
    assertThat(scratchMounts(pod))
        .containsExactly(
            "/tmp <- tmp", "/sandbox/model <- model", "/sandbox/chainkeys <- chainkeys");
    assertThat(container(pod).getEnv()).contains(new EnvVar("TMPDIR", "/tmp", null));
    assertThat(mount(pod, "/substra_internal/out_models").getReadOnly()).isFalse();

    Pod withChainkeys =
        build(new ComputePod(PLAN, TAG, IMAGE, true, false, false, Map.of(), "/sandbox"));
    assertThat(scratchMounts(withChainkeys))
        .containsExactly("/tmp <- tmp", "/sandbox/model <- model");
    assertThat(mount(withChainkeys, "/substra_internal/chainkeys").getName()).isEqualTo("subtuple");

    Pod inTmp = build(new ComputePod(PLAN, TAG, IMAGE, false, false, false, Map.of(), "/tmp/app"));
    assertThat(scratchMounts(inTmp)).containsExactly("/tmp <- tmp");

    Pod withoutWorkdir = build(request(false, false, false, Map.of()));
    assertThat(scratchMounts(withoutWorkdir))
        .containsExactly("/tmp <- tmp", "/model <- model", "/chainkeys <- chainkeys");
  }

  @Test
  void aWritableRootFilesystemCanBeConfiguredForImagesThatNeedIt() {
    Pod pod =
        build(
            new ComputePod(PLAN, TAG, IMAGE, false, false, false, Map.of(), "/sandbox"),
            "compute.pod.read-only-root-filesystem",
            "false");

    assertThat(container(pod).getSecurityContext().getReadOnlyRootFilesystem()).isFalse();
    assertThat(scratchMounts(pod)).containsExactly("/tmp <- tmp");
    assertThat(container(pod).getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
  }

  @Test
  void gpuCountFromConfigurationBecomesALimit() {
    Pod pod = build(request(false, false, false, Map.of()), "compute.pod.gpu.count", "2");

    assertThat(container(pod).getResources().getLimits())
        .containsEntry("nvidia.com/gpu", new Quantity("2"));
    assertThat(container(pod).getResources().getRequests()).doesNotContainKey("nvidia.com/gpu");
    assertThat(pod.getSpec().getVolumes())
        .extracting(Volume::getName)
        .containsExactly("subtuple", "scratch");
  }

  @Test
  void functionMetadataOverridesTheConfiguredGpus() {
    String resources = "{\"limits\":{\"memory\":\"8Gi\",\"nvidia.com/gpu\":\"1\"}}";

    Pod more =
        build(
            request(false, false, false, Map.of("substra.ai/gpus", "3")),
            "compute.pod.resources",
            resources);
    assertThat(container(more).getResources().getLimits())
        .containsEntry("nvidia.com/gpu", new Quantity("3"))
        .containsEntry("memory", new Quantity("8Gi"));

    Pod none =
        build(
            request(false, false, false, Map.of("substra.ai/gpus", "0")),
            "compute.pod.resources",
            resources,
            "compute.pod.gpu.count",
            "1");
    assertThat(container(none).getResources().getLimits())
        .containsEntry("memory", new Quantity("8Gi"))
        .doesNotContainKey("nvidia.com/gpu");

    Pod untouched =
        build(
            request(false, false, false, Map.of("other", "x")), "compute.pod.resources", resources);
    assertThat(container(untouched).getResources().getLimits())
        .containsEntry("nvidia.com/gpu", new Quantity("1"));
  }

  @Test
  void gpuResourceNameAndHostDevicesAreConfigurable() {
    Pod pod =
        build(
            request(false, false, false, Map.of("substra.ai/gpus", "2")),
            "compute.pod.gpu.resource",
            "amd.com/gpu",
            "compute.pod.gpu.host-devices",
            "true");

    assertThat(container(pod).getResources().getLimits())
        .containsEntry("amd.com/gpu", new Quantity("2"))
        .doesNotContainKey("nvidia.com/gpu");
    assertThat(pod.getSpec().getVolumes())
        .filteredOn(v -> v.getHostPath() != null)
        .extracting(v -> v.getName() + "=" + v.getHostPath().getPath())
        .containsExactly("nvidia0=/dev/nvidia0", "nvidia1=/dev/nvidia1");
    assertThat(mount(pod, "/dev/nvidia1").getReadOnly()).isTrue();
  }

  @Test
  void refusesGpuRequestsThatCannotBeGiven() {
    assertThatThrownBy(() -> build(request(false, false, false, Map.of("substra.ai/gpus", "many"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("substra.ai/gpus");
    assertThatThrownBy(
            () ->
                build(
                    request(false, false, false, Map.of("substra.ai/gpus", "5")),
                    "compute.pod.gpu.max",
                    "4"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("between 0 and 4");
    assertThatThrownBy(() -> build(request(false, false, false, Map.of("substra.ai/gpus", "-1"))))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void malformedChartJsonNamesTheSetting() {
    assertThatThrownBy(
            () ->
                new ComputePodBuilder(TestConfigs.compute("compute.pod.tolerations", "{\"a\":1}")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("compute.pod.tolerations");
    assertThatThrownBy(
            () -> new ComputePodBuilder(TestConfigs.compute("compute.pod.node-selector", "[")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("compute.pod.node-selector");
  }

  private static ComputePod request(
      boolean chainkeys, boolean models, boolean performances, Map<String, String> metadata) {
    return new ComputePod(PLAN, TAG, IMAGE, chainkeys, models, performances, metadata);
  }

  private static Pod build(ComputePod request, String... properties) {
    return new ComputePodBuilder(TestConfigs.compute(properties)).build(request);
  }

  private static Container container(Pod pod) {
    assertThat(pod.getSpec().getContainers()).hasSize(1);
    return pod.getSpec().getContainers().get(0);
  }

  private static java.util.List<String> scratchMounts(Pod pod) {
    return container(pod).getVolumeMounts().stream()
        .filter(m -> m.getName().equals("scratch"))
        .peek(m -> assertThat(m.getReadOnly()).isNotEqualTo(Boolean.TRUE))
        .map(m -> m.getMountPath() + " <- " + m.getSubPath())
        .toList();
  }

  private static Volume volume(Pod pod, String name) {
    return pod.getSpec().getVolumes().stream()
        .filter(v -> v.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no volume " + name));
  }

  private static java.util.List<String> mountPaths(Pod pod) {
    return container(pod).getVolumeMounts().stream().map(VolumeMount::getMountPath).toList();
  }

  private static VolumeMount mount(Pod pod, String path) {
    return container(pod).getVolumeMounts().stream()
        .filter(m -> m.getMountPath().equals(path))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no mount at " + path));
  }
}
