package org.substra.node.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.substra.node.helm.Manifests.container;
import static org.substra.node.helm.Manifests.env;
import static org.substra.node.helm.Manifests.get;
import static org.substra.node.helm.Manifests.initContainer;
import static org.substra.node.helm.Manifests.list;
import static org.substra.node.helm.Manifests.map;
import static org.substra.node.helm.Manifests.podSpec;

import com.marcnuri.helm.LintResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The chart rendered with every seed parameter set to a non-default value
 * (values/all-seed-parameters.yaml): each one reaches the manifests where it should.
 */
class AllSeedParametersTest {

  private static final Path VALUES = Chart.testValues("all-seed-parameters.yaml");
  private static final String F = Chart.FULLNAME;

  private static Map<String, Object> values;
  private static Manifests manifests;
  private static Path oldCluster;

  @BeforeAll
  static void render() {
    values = Chart.merge(Chart.defaultValues(), Chart.loadYaml(VALUES));
    oldCluster = Chart.copyForOldClusterWithVisibleHooks();
    manifests = Chart.renderChart(oldCluster, VALUES);
  }

  @AfterAll
  static void removeCopy() {
    Chart.deleteRecursively(oldCluster);
  }

  @Test
  void valuesFileSetsEverySeedParameterToSomethingElse() {
    Map<String, Object> file = Chart.loadYaml(VALUES);
    List<String> problems = new ArrayList<>();
    SeedParameters.fixture()
        .forEach(
            (key, seedDefault) -> {
              if (!ValuesDoc.has(file, key)) {
                problems.add(key + ": not set");
              } else if (ValuesDoc.format(ValuesDoc.valueAt(file, key)).equals(seedDefault)) {
                problems.add(key + ": still " + seedDefault);
              }
            });
    assertThat(problems).isEmpty();
  }

  @Test
  void lintsCleanly() {
    LintResult result = Chart.lint(VALUES);
    assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
  }

  /**
   * Putting any one seed parameter back to its default changes the rendered manifests, so none of
   * them is accepted and then ignored. Some only matter next to another setting (a probe's timing
   * while the probe is on); those are checked with that setting on. Rendered as on a cluster that
   * serves PodSecurityPolicy, with the hooks visible.
   */
  @Test
  void everySeedParameterChangesTheManifests() {
    List<String> ignored = new ArrayList<>();
    Map<String, Object> defaults = Chart.defaultValues();
    String renderedValues = Chart.renderChart(oldCluster, values).text();
    for (String key : SeedParameters.fixture().keySet()) {
      Map<String, Object> base = withContext(values, key);
      Map<String, Object> reset =
          ValuesDoc.with(base, key, ValuesDoc.deepCopy(ValuesDoc.valueAt(defaults, key)));
      String before = base == values ? renderedValues : Chart.renderChart(oldCluster, base).text();
      if (before.equals(Chart.renderChart(oldCluster, reset).text())) {
        ignored.add(key);
      }
    }
    assertThat(ignored).as("parameters without effect").isEmpty();
  }

  private static final Pattern POD_SECURITY =
      Pattern.compile("(.+)\\.podSecurityContext\\.(runAsUser|runAsGroup|fsGroup)");
  private static final Pattern SERVER_PROBE =
      Pattern.compile("server\\.(livenessProbe|readinessProbe)\\.(?!enabled).+");

  private static Map<String, Object> withContext(Map<String, Object> values, String key) {
    Matcher security = POD_SECURITY.matcher(key);
    if (security.matches()) {
      return ValuesDoc.with(values, security.group(1) + ".podSecurityContext.enabled", true);
    }
    Matcher probe = SERVER_PROBE.matcher(key);
    if (probe.matches()) {
      return ValuesDoc.with(values, "server." + probe.group(1) + ".enabled", true);
    }
    if (key.equals("worker.affinity")) {
      // with data samples on the servermedias volume the compute pods must sit next to api pods
      return ValuesDoc.with(values, "DataSampleStorageInServerMedia", false);
    }
    return values;
  }

  @Test
  void replicaCountsImagesAndPullSettings() {
    assertThat(get(manifests.workload("api"), "spec.replicas")).isEqualTo(3);
    assertThat(get(manifests.workload("compute"), "spec.replicas")).isEqualTo(3);
    assertThat(get(manifests.workload("scheduler-worker"), "spec.replicas")).isEqualTo(2);
    assertThat(get(manifests.workload("scheduler"), "spec.replicas")).isEqualTo(0);

    assertImage("api", "ghcr.io/substra-node/api-service:1.2.3", "Always", "api-pull-secret");
    assertImage(
        "compute", "ghcr.io/substra-node/compute-service:1.2.4", "Always", "compute-pull-secret");
    assertImage(
        "scheduler-worker",
        "ghcr.io/substra-node/scheduler-service:1.2.5",
        "Always",
        "scheduler-worker-pull-secret");
    assertImage(
        "scheduler",
        "quay.io/substra-node/scheduler-service-trigger:1.2.6",
        "Never",
        "scheduler-pull-secret");
    assertImage(
        "event", "ghcr.io/substra-node/event-service:1.2.7", "Always", "events-pull-secret");
  }

  private static void assertImage(String component, String image, String policy, String secret) {
    Map<String, Object> workload = manifests.workload(component);
    assertThat(container(workload)).containsEntry("image", image);
    assertThat(container(workload)).containsEntry("imagePullPolicy", policy);
    assertThat(list(podSpec(workload), "imagePullSecrets")).containsExactly(Map.of("name", secret));
  }

  @Test
  void podSecurityContextsFollowTheirSwitch() {
    for (String component : List.of("api", "compute", "scheduler", "scheduler-worker", "event")) {
      assertThat(podSpec(manifests.workload(component)))
          .as(component)
          .doesNotContainKey("securityContext");
    }
    Manifests enabled =
        Chart.render(ValuesDoc.with(values, "worker.podSecurityContext.enabled", true));
    assertThat(map(podSpec(enabled.workload("compute")), "securityContext"))
        .containsEntry("runAsUser", 3001)
        .containsEntry("runAsGroup", 3002)
        .containsEntry("fsGroup", 3003);
  }

  @Test
  void resourcesAndPlacement() {
    Map<String, Object> compute = manifests.workload("compute");
    assertThat(map(container(compute), "resources.limits"))
        .containsEntry("nvidia.com/gpu", 1)
        .containsEntry("memory", "8Gi");
    assertThat(map(podSpec(compute), "nodeSelector")).containsEntry("pool", "compute");
    assertThat(list(podSpec(compute), "tolerations"))
        .extracting(t -> t.get("key"))
        .containsExactly("nvidia.com/gpu");
    // DataSampleStorageInServerMedia: compute pods go where the api pod's volume is
    assertThat(get(podSpec(compute), "affinity.podAffinity")).isNotNull();

    assertThat(map(container(manifests.workload("api")), "resources.limits"))
        .containsEntry("memory", "2Gi");
    assertThat(map(container(manifests.workload("org-link")), "resources.limits"))
        .containsEntry("memory", "300Mi");
    assertThat(map(podSpec(manifests.workload("event")), "nodeSelector"))
        .containsEntry("pool", "events");
    assertThat(map(podSpec(manifests.workload("scheduler")), "nodeSelector"))
        .containsEntry("pool", "control");
    assertThat(get(podSpec(manifests.workload("scheduler-worker")), "affinity.podAntiAffinity"))
        .isNotNull();
  }

  @Test
  void computeServiceSettings() {
    Map<String, Object> compute = manifests.workload("compute");
    assertThat(env(compute, "COMPUTE_CONCURRENCY")).contains("4");
    assertThat(env(compute, "COMPUTE_POD_STARTUP_TIMEOUT")).contains("600s");
    assertThat(env(compute, "COMPUTE_POD_RUN_AS_USER")).contains("4001");
    assertThat(env(compute, "COMPUTE_POD_RUN_AS_GROUP")).contains("4002");
    assertThat(env(compute, "COMPUTE_POD_FS_GROUP")).contains("4003");
    assertThat(env(compute, "COMPUTE_KANIKO_IMAGE"))
        .contains("docker.io/mirror/kaniko-executor:v1.23.2");
    assertThat(env(compute, "COMPUTE_KANIKO_MIRROR")).contains("true");
    assertThat(env(compute, "COMPUTE_KANIKO_DOCKER_CONFIG_SECRET_NAME"))
        .contains("kaniko-docker-config");
    // the registry API credentials: the Secret's config.json, mounted in the compute container
    assertThat(env(compute, "NODE_REGISTRY_DOCKER_CONFIG"))
        .contains("/var/substra/docker-config/config.json");
    assertThat(list(Manifests.container(compute), "volumeMounts"))
        .anySatisfy(
            mount ->
                assertThat(mount)
                    .containsEntry("name", "docker-config")
                    .containsEntry("mountPath", "/var/substra/docker-config"));
    assertThat(podSpec(compute)).containsEntry("serviceAccountName", "default");
    // samples registered by path: the folder api-service checks them under is the one
    // compute-service
    // re-checks them under (both read NODE_SERVERMEDIAS_DIR), and is mounted there
    assertThat(manifests.configMapData("settings"))
        .containsEntry("NODE_SERVERMEDIAS_DIR", "/var/substra/servermedias");
    assertThat(list(Manifests.container(compute), "envFrom").toString())
        .contains(Chart.FULLNAME + "-settings");
    assertThat(list(Manifests.container(compute), "volumeMounts"))
        .anySatisfy(
            mount ->
                assertThat(mount)
                    .containsEntry("name", "servermedias")
                    .containsEntry("mountPath", "/var/substra/servermedias"));

    Map<String, Object> warmer = initContainer(compute, "kaniko-cache-warmer").orElseThrow();
    assertThat(warmer).containsEntry("image", "docker.io/mirror/kaniko-warmer:v1.23.2");
    assertThat(Manifests.strings(warmer, "args"))
        .contains("--image=python:3.11-slim", "--image=ghcr.io/substra/substra-tools:0.20.0");

    List<Map<String, Object>> claims = list(compute, "spec.volumeClaimTemplates");
    assertThat(claims)
        .extracting(c -> get(c, "metadata.name"))
        .containsExactly("subtuple", "docker-cache");
    assertThat(get(claims.get(0), "spec.resources.requests.storage")).isEqualTo("50Gi");
    assertThat(get(claims.get(0), "spec.storageClassName")).isEqualTo("");
    assertThat(get(claims.get(1), "spec.resources.requests.storage")).isEqualTo("30Gi");
    assertThat(get(claims.get(1), "spec.storageClassName")).isEqualTo("cache-class");
  }

  @Test
  void nodeWideSettingsAndRegistry() {
    Map<String, Object> settings = manifests.configMapData("settings");
    assertThat(settings)
        .containsEntry("QUARKUS_PROFILE", "dev")
        .containsEntry("QUARKUS_LOG_LEVEL", "DEBUG")
        .containsEntry("NODE_ORGANIZATION_NAME", "ingen")
        .containsEntry("NODE_DEFAULT_DOMAIN", "https://api.ingen.example.com")
        .containsEntry("NODE_MSP_ID", "IngenMSP")
        .containsEntry("EVENTS_MSP_ID", "IngenMSP")
        .containsEntry("NODE_DATASAMPLE_STORAGE_IN_SERVERMEDIAS", "true");
    assertThat((String) settings.get("NODE_CHANNELS"))
        .contains("\"restricted\":true", "\"model_export_enabled\":true", "\"name\":\"ingencc\"");

    assertThat(manifests.configMapData("registry"))
        .containsEntry("NODE_REGISTRY_LOCAL", "false")
        .containsEntry("NODE_REGISTRY_ADDRESS", "registry.ingen.example.com:5443")
        .containsEntry("NODE_REGISTRY_SCHEME", "https")
        .containsEntry("NODE_REGISTRY_PULL_DOMAIN", "pull.ingen.example.com");

    Map<String, Object> prepopulate = manifests.get("Job", F + "-registry-prepopulate-0");
    assertThat(Manifests.strings(list(prepopulate, "spec.template.spec.containers").get(0), "args"))
        .contains("--destination=registry.ingen.example.com:5443/mirror/substra-tools:0.20.0")
        .doesNotContain("--insecure");
    assertThat(manifests.configMapData("registry-prepopulate-0"))
        .containsEntry("Dockerfile", "FROM ghcr.io/substra/substra-tools:0.20.0\n");
  }

  @Test
  void apiServiceSettingsServiceIngressAndVolume() {
    Map<String, Object> api = manifests.workload("api");
    assertThat(env(api, "API_SUBPATH")).contains("substra");
    assertThat(env(api, "API_COMMON_HOST_DOMAIN")).contains("ingen.example.com");
    assertThat(env(api, "QUARKUS_THREAD_POOL_MAX_THREADS")).contains("32");
    assertThat(container(api)).doesNotContainKeys("livenessProbe", "readinessProbe");

    Map<String, Object> service = manifests.get("Service", F + "-api");
    assertThat(map(service, "spec"))
        .containsEntry("type", "LoadBalancer")
        .containsEntry("clusterIP", "10.96.0.42")
        .containsEntry("loadBalancerIP", "203.0.113.10")
        .containsEntry("loadBalancerSourceRanges", List.of("198.51.100.0/24"))
        .containsEntry("externalIPs", List.of("192.0.2.7"));
    assertThat(list(service, "spec.ports").get(0))
        .containsEntry("port", 80)
        .containsEntry("nodePort", 30080);

    Map<String, Object> ingress = manifests.get("Ingress", F + "-api");
    assertThat(get(ingress, "spec.ingressClassName")).isEqualTo("nginx");
    List<Map<String, Object>> rules = list(ingress, "spec.rules");
    assertThat(rules)
        .extracting(r -> r.get("host"))
        .containsExactly("api.ingen.example.com", "other.ingen.example.com");
    assertThat(list(rules.get(0), "http.paths"))
        .extracting(p -> p.get("path"))
        .containsExactly("/extra", "/substra");
    assertThat(list(ingress, "spec.tls").get(0)).containsEntry("secretName", "api-tls");

    Map<String, Object> pvc = manifests.get("PersistentVolumeClaim", F + "-servermedias");
    assertThat(get(pvc, "spec.resources.requests.storage")).isEqualTo("25Gi");
    assertThat(get(pvc, "spec.storageClassName")).isEqualTo("fast-ssd");
  }

  @Test
  void privateCaInitContainerInEveryServiceThatCallsOut() {
    for (String component :
        List.of("api", "compute", "event", "scheduler", "scheduler-worker", "org-link")) {
      Map<String, Object> addCert =
          initContainer(manifests.workload(component), "add-cert").orElseThrow();
      assertThat(addCert)
          .containsEntry("image", "debian:bookworm")
          .containsEntry("imagePullPolicy", "Always");
      assertThat(String.valueOf(list(addCert, "args"))).doesNotContain("apt-get install");
    }
    assertThat(manifests.get("ConfigMap", "ingen-private-ca"))
        .extracting(cm -> map(cm, "data").keySet())
        .isEqualTo(java.util.Set.of("ingen-ca.crt"));
  }

  @Test
  void orchestratorConnection() {
    assertThat(manifests.configMapData("orchestrator"))
        .containsEntry("QUARKUS_GRPC_CLIENTS_ORCHESTRATOR_HOST", "orchestrator.network.example.com")
        .containsEntry("QUARKUS_GRPC_CLIENTS_ORCHESTRATOR_PORT", "443")
        .containsEntry("QUARKUS_GRPC_CLIENTS_ORCHESTRATOR_PLAIN_TEXT", "false")
        .containsEntry(
            "QUARKUS_GRPC_CLIENTS_ORCHESTRATOR_SSL_TRUST_STORE",
            "/var/substra/orchestrator/tls/server/ca.crt")
        .containsKey("QUARKUS_GRPC_CLIENTS_ORCHESTRATOR_SSL_KEY");
    Map<String, Object> event = manifests.workload("event");
    assertThat(env(event, "EVENTS_ORCHESTRATOR_RABBITMQ_HOST"))
        .contains("events.network.example.com");
    assertThat(env(event, "EVENTS_ORCHESTRATOR_RABBITMQ_PORT")).contains("5671");
    assertThat(env(event, "EVENTS_ORCHESTRATOR_RABBITMQ_USERNAME")).contains("ingen-queue");
    assertThat(env(event, "EVENTS_ORCHESTRATOR_RABBITMQ_TLS_ENABLED")).contains("true");
    assertThat(list(podSpec(event), "volumes"))
        .extracting(v -> get(v, "secret.secretName"))
        .contains("orchestrator-rabbitmq-cert", "orchestrator-client-cert");
    assertThat(manifests.secretData("orchestrator-rabbitmq"))
        .containsEntry("EVENTS_ORCHESTRATOR_RABBITMQ_PASSWORD", "orchestrator-rabbit-pass");
  }

  @Test
  void rbacFollowsItsSwitches() {
    assertThat(manifests.find("Role", F + "-compute")).isEmpty();
    assertThat(manifests.find("ServiceAccount", F + "-compute")).isEmpty();
    assertThat(manifests.find("Role", F + "-event")).isEmpty();
    assertThat(manifests.find("ServiceAccount", "ingen-events")).isEmpty();
    assertThat(podSpec(manifests.workload("event")))
        .containsEntry("serviceAccountName", "ingen-events");
  }

  @Test
  void accountsGoToTheSecretOfOrgLinkService() {
    Map<String, String> accounts = manifests.secretData("add-account");
    assertThat(accounts)
        .containsEntry("users", "admin admin-password-1\n")
        .containsEntry("incoming_organizations", "biotechnica incoming-secret-1\n")
        .containsEntry("outgoing_organizations", "biotechnica outgoing-secret-1\n");
  }

  @Test
  void uninstallHooks() {
    Map<String, Object> pods = manifests.get("Job", F + "-hook-delete-compute-pods");
    Map<String, Object> pvcs = manifests.get("Job", F + "-hook-delete-compute-pvc");
    for (Map<String, Object> job : List.of(pods, pvcs)) {
      assertThat(map(job, "metadata.annotations")).containsEntry(Chart.HOOK, "post-delete");
      assertThat(get(job, "spec.template.spec.serviceAccountName")).isEqualTo("ingen-cleaner");
    }
    assertThat(get(list(pods, "spec.template.spec.containers").get(0), "image"))
        .isEqualTo("registry.example.com/kubectl-pods:1.32");
    assertThat(get(list(pvcs, "spec.template.spec.containers").get(0), "image"))
        .isEqualTo("registry.example.com/kubectl-pvc:1.31");
    assertThat(String.valueOf(get(list(pvcs, "spec.template.spec.containers").get(0), "command")))
        .contains("app.kubernetes.io/name=substra-backend-compute");
  }

  @Test
  void noSecretValueInAConfigMap() {
    SecretsInConfigMaps.assertNone(manifests, true);
    assertThat(manifests.text()).doesNotContain("orchestrator-rabbit-pass");
  }
}
