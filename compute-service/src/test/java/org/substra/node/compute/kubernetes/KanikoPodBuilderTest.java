package org.substra.node.compute.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.smallrye.config.SmallRyeConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.substra.node.compute.config.ComputeConfig;
import org.substra.node.compute.config.RegistryConfig;
import org.substra.node.compute.config.TestConfigs;

class KanikoPodBuilderTest {

  private static final String TAG = "function-0123456789abcdef";
  private static final Path BUILD_DIR = Path.of("/var/substra/medias/subtuple/tmp/build-42");

  @Test
  void namedAndLabelledForTheImageTag() {
    Pod pod = build();

    assertThat(pod.getMetadata().getName()).isEqualTo("kaniko-function-0123456789abcdef");
    assertThat(pod.getMetadata().getLabels())
        .containsEntry("substra.ai/pod-name", "kaniko-function-0123456789abcdef")
        .containsEntry("substra.ai/pod-type", "image-build")
        .containsEntry("app.kubernetes.io/component", "substra-compute")
        .containsEntry("role-registry-client", "true")
        .containsEntry("role-internet-egress", "true");
    assertThat(KanikoPodBuilder.podName("repo/some_tag")).isEqualTo("kaniko-some-tag");
  }

  @Test
  void buildsTheDirectoryAndPushesToTheRegistryWithCache() {
    Pod pod =
        build(
            "node.registry.address", "registry.example:5000",
            "node.registry.scheme", "https",
            "node.registry.user-image-repository", "acme/images",
            "compute.kaniko.image", "example/kaniko:v9",
            "compute.kaniko.verbosity", "debug");

    Container kaniko = kaniko(pod);
    assertThat(kaniko.getImage()).isEqualTo("example/kaniko:v9");
    assertThat(kaniko.getCommand()).isEmpty();
    assertThat(kaniko.getArgs())
        .containsExactly(
            "--dockerfile=/var/substra/medias/subtuple/tmp/build-42/Dockerfile",
            "--context=dir:///var/substra/medias/subtuple/tmp/build-42",
            "--destination=registry.example:5000/acme/images:function-0123456789abcdef",
            "--cache=true",
            "--log-timestamp=true",
            "--snapshot-mode=redo",
            "--push-retry=3",
            "--cache-copy-layers",
            "--cache-run-layers",
            "--log-format=text",
            "--verbosity=debug");
  }

  @Test
  void plainHttpRegistryIsInsecureAndMirrorPullsThroughIt() {
    Container withoutMirror = kaniko(build("node.registry.scheme", "http"));
    assertThat(withoutMirror.getArgs())
        .contains("--insecure")
        .noneMatch(arg -> arg.startsWith("--registry-mirror") || arg.equals("--insecure-pull"));

    Container httpMirror =
        kaniko(
            build(
                "node.registry.scheme",
                "http",
                "node.registry.address",
                "reg:5000",
                "compute.kaniko.mirror",
                "true"));
    assertThat(httpMirror.getArgs())
        .contains("--insecure", "--registry-mirror=reg:5000", "--insecure-pull");

    Container httpsMirror =
        kaniko(
            build(
                "node.registry.scheme",
                "https",
                "node.registry.address",
                "reg:5000",
                "compute.kaniko.mirror",
                "true"));
    assertThat(httpsMirror.getArgs())
        .contains("--registry-mirror=reg:5000")
        .doesNotContain("--insecure", "--insecure-pull");
  }

  @Test
  void mountsTheBuildDirectoryAndCacheOfThisReplicaReadOnly() {
    Pod pod =
        build(
            "compute.kubernetes.pod-name", "backend-compute-2",
            "compute.kubernetes.work-claim", "work",
            "compute.kubernetes.cache-claim", "cache");

    assertThat(volume(pod, "dockerfile").getPersistentVolumeClaim().getClaimName())
        .isEqualTo("work-backend-compute-2");
    assertThat(volume(pod, "cache").getPersistentVolumeClaim().getClaimName())
        .isEqualTo("cache-backend-compute-2");
    VolumeMount dockerfile = mount(pod, "dockerfile");
    assertThat(dockerfile.getMountPath()).isEqualTo(BUILD_DIR.toString());
    assertThat(dockerfile.getSubPath()).isEqualTo("tmp/build-42");
    assertThat(dockerfile.getReadOnly()).isTrue();
    VolumeMount cache = mount(pod, "cache");
    assertThat(cache.getMountPath()).isEqualTo("/cache");
    assertThat(cache.getReadOnly()).isTrue();
    assertThat(pod.getSpec().getVolumes()).extracting(Volume::getName).hasSize(2);
  }

  @Test
  void dockerConfigSecretBecomesKanikoCredentials() {
    Pod pod = build("compute.kaniko.docker-config-secret-name", "regcred");

    Volume secret = volume(pod, "docker-config");
    assertThat(secret.getSecret().getSecretName()).isEqualTo("regcred");
    assertThat(secret.getSecret().getItems())
        .singleElement()
        .satisfies(
            item -> {
              assertThat(item.getKey()).isEqualTo(".dockerconfigjson");
              assertThat(item.getPath()).isEqualTo("config.json");
            });
    assertThat(mount(pod, "docker-config").getMountPath()).isEqualTo("/kaniko/.docker");
  }

  @Test
  void runsAsRootWithOnlyTheCapabilitiesToUnpackImages() {
    Pod pod = build();

    var security = kaniko(pod).getSecurityContext();
    assertThat(security.getRunAsUser()).isZero();
    assertThat(security.getRunAsGroup()).isZero();
    assertThat(security.getRunAsNonRoot()).isFalse();
    assertThat(security.getPrivileged()).isFalse();
    assertThat(security.getAllowPrivilegeEscalation()).isFalse();
    assertThat(security.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(security.getCapabilities().getAdd())
        .containsExactlyInAnyOrder(
            "CHOWN", "SETUID", "SETGID", "FOWNER", "DAC_OVERRIDE", "SETFCAP");
    assertThat(security.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(pod.getSpec().getRestartPolicy()).isEqualTo("Never");
  }

  @Test
  void noKubernetesIdentityAndADeadlineOutlivingCompute() {
    Pod pod = build();

    assertThat(pod.getSpec().getAutomountServiceAccountToken()).isFalse();
    assertThat(pod.getSpec().getEnableServiceLinks()).isFalse();
    // 120s to start plus 3600s to build: past both, compute-service has given up on the build
    assertThat(pod.getSpec().getActiveDeadlineSeconds()).isEqualTo(3720L);
    assertThat(
            build("compute.kaniko.startup-timeout", "60s", "compute.kaniko.build-timeout", "2h")
                .getSpec()
                .getActiveDeadlineSeconds())
        .isEqualTo(7260L);
  }

  @Test
  void placedOnThisReplicasNode() {
    Pod pod = build("compute.kubernetes.pod-name", "backend-compute-1");

    var term =
        pod.getSpec()
            .getAffinity()
            .getPodAffinity()
            .getRequiredDuringSchedulingIgnoredDuringExecution();
    assertThat(term).hasSize(1);
    assertThat(term.get(0).getTopologyKey()).isEqualTo("kubernetes.io/hostname");
    var expression = term.get(0).getLabelSelector().getMatchExpressions().get(0);
    assertThat(expression.getKey()).isEqualTo("statefulset.kubernetes.io/pod-name");
    assertThat(expression.getOperator()).isEqualTo("In");
    assertThat(expression.getValues()).containsExactly("backend-compute-1");
  }

  @Test
  void resourcesFromConfiguration() {
    Pod pod =
        build(
            "compute.kaniko.resources",
            "{\"limits\":{\"memory\":\"4Gi\"},\"requests\":{\"cpu\":\"500m\"}}");

    assertThat(kaniko(pod).getResources().getLimits()).containsEntry("memory", new Quantity("4Gi"));
    assertThat(kaniko(pod).getResources().getRequests()).containsEntry("cpu", new Quantity("500m"));
  }

  @Test
  void refusesBuildDirectoriesOutsideTheWorkVolumeAndMalformedResources() {
    SmallRyeConfig config = TestConfigs.of();
    KanikoPodBuilder builder =
        new KanikoPodBuilder(
            config.getConfigMapping(ComputeConfig.class),
            config.getConfigMapping(RegistryConfig.class));
    assertThatThrownBy(() -> builder.build(TAG, Path.of("/tmp/elsewhere")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.build(TAG, Path.of("/var/substra/medias/subtuple/../x")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder(TestConfigs.of("compute.kaniko.resources", "{limits")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("compute.kaniko.resources");
  }

  private static Pod build(String... properties) {
    return builder(TestConfigs.of(properties)).build(TAG, BUILD_DIR);
  }

  private static KanikoPodBuilder builder(SmallRyeConfig config) {
    return new KanikoPodBuilder(
        config.getConfigMapping(ComputeConfig.class),
        config.getConfigMapping(RegistryConfig.class));
  }

  private static Container kaniko(Pod pod) {
    assertThat(pod.getSpec().getContainers()).hasSize(1);
    Container container = pod.getSpec().getContainers().get(0);
    assertThat(container.getName()).isEqualTo("kaniko");
    return container;
  }

  private static Volume volume(Pod pod, String name) {
    return pod.getSpec().getVolumes().stream()
        .filter(v -> v.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no volume " + name));
  }

  private static VolumeMount mount(Pod pod, String name) {
    return kaniko(pod).getVolumeMounts().stream()
        .filter(m -> m.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no mount " + name));
  }
}
