package org.substra.node.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.substra.node.helm.Manifests.container;
import static org.substra.node.helm.Manifests.env;
import static org.substra.node.helm.Manifests.get;
import static org.substra.node.helm.Manifests.list;
import static org.substra.node.helm.Manifests.map;
import static org.substra.node.helm.Manifests.podSpec;

import com.marcnuri.helm.LintResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The chart with its default values: what an operator gets from a plain `helm install`. */
class DefaultValuesTest {

  private static final String F = Chart.FULLNAME;
  private static Manifests manifests;

  @BeforeAll
  static void render() {
    manifests = Chart.render();
  }

  @Test
  void lintsCleanly() {
    LintResult result = Chart.lint();
    assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
  }

  @Test
  void oneWorkloadPerService() {
    assertThat(manifests.ofKind("Deployment"))
        .extracting(d -> get(d, "metadata.name"))
        .contains(
            F + "-api", F + "-event", F + "-scheduler", F + "-scheduler-worker", F + "-org-link")
        .doesNotContain(F + "-orchestrator");
    assertThat(manifests.ofKind("StatefulSet"))
        .extracting(d -> get(d, "metadata.name"))
        .contains(F + "-compute");
    for (String component :
        List.of("api", "compute", "event", "scheduler", "scheduler-worker", "org-link")) {
      assertThat(get(manifests.workload(component), "spec.replicas")).as(component).isEqualTo(1);
    }
  }

  @Test
  void everyWorkloadHasLivenessAndReadinessProbes() {
    List<Map<String, Object>> workloads = new ArrayList<>(manifests.ofKind("Deployment"));
    workloads.addAll(manifests.ofKind("StatefulSet"));
    assertThat(workloads)
        .allSatisfy(
            w ->
                assertThat(list(podSpec(w), "containers"))
                    .as(String.valueOf(get(w, "metadata.name")))
                    .allSatisfy(
                        c -> assertThat(c).containsKeys("livenessProbe", "readinessProbe")));
  }

  @Test
  void noNullListsInPodSpecs() {
    List<Map<String, Object>> workloads = new ArrayList<>(manifests.ofKind("Deployment"));
    workloads.addAll(manifests.ofKind("StatefulSet"));
    for (Map<String, Object> workload : workloads) {
      Map<String, Object> pod = podSpec(workload);
      assertThat(pod.containsKey("volumes") && pod.get("volumes") == null)
          .as(get(workload, "metadata.name") + " volumes")
          .isFalse();
      for (Map<String, Object> container : list(pod, "containers")) {
        assertThat(container.containsKey("volumeMounts") && container.get("volumeMounts") == null)
            .as(get(workload, "metadata.name") + " volumeMounts")
            .isFalse();
      }
    }
  }

  @Test
  void probesUseEachServiceHealthEndpoints() {
    Map<String, Object> api = container(manifests.workload("api"));
    assertThat(get(api, "livenessProbe.httpGet.path")).isEqualTo("/liveness");
    assertThat(get(api, "livenessProbe.initialDelaySeconds")).isEqualTo(60);
    assertThat(get(api, "readinessProbe.httpGet.path")).isEqualTo("/readiness");
    assertThat(get(api, "readinessProbe.timeoutSeconds")).isEqualTo(2);
    for (String component :
        List.of("compute", "event", "scheduler", "scheduler-worker", "org-link")) {
      Map<String, Object> container = container(manifests.workload(component));
      assertThat(get(container, "livenessProbe.httpGet.path")).isEqualTo("/q/health/live");
      assertThat(get(container, "readinessProbe.httpGet.path")).isEqualTo("/q/health/ready");
    }
  }

  @Test
  void containerPortsMatchTheServices() {
    Map<String, Integer> ports =
        Map.of("api", 8000, "event", 8081, "compute", 8082, "scheduler", 8083, "org-link", 8084);
    ports.forEach(
        (component, port) ->
            assertThat(list(container(manifests.workload(component)), "ports").get(0))
                .containsEntry("name", "http")
                .containsEntry("containerPort", port));
  }

  @Test
  void servicesRunUnprivilegedAsTheSeedUser() {
    for (String component :
        List.of("api", "compute", "event", "scheduler", "scheduler-worker", "org-link")) {
      Map<String, Object> workload = manifests.workload(component);
      assertThat(map(podSpec(workload), "securityContext"))
          .containsEntry("runAsUser", 1001)
          .containsEntry("runAsGroup", 1001)
          .containsEntry("fsGroup", 1001)
          .containsEntry("runAsNonRoot", true);
      assertThat(map(container(workload), "securityContext"))
          .containsEntry("allowPrivilegeEscalation", false)
          .containsEntry("capabilities", Map.of("drop", List.of("ALL")));
    }
  }

  @Test
  void computeServiceIsAStatefulSetWithPerReplicaVolumesAndPodRights() {
    Map<String, Object> compute = manifests.get("StatefulSet", F + "-compute");
    List<Map<String, Object>> claims = list(compute, "spec.volumeClaimTemplates");
    assertThat(claims)
        .extracting(c -> get(c, "spec.resources.requests.storage"))
        .containsExactly("10Gi", "10Gi");
    assertThat(claims)
        .allSatisfy(c -> assertThat(map(c, "spec")).doesNotContainKey("storageClassName"));
    assertThat(podSpec(compute)).containsEntry("serviceAccountName", F + "-compute");
    assertThat(env(compute, "COMPUTE_EXECUTOR")).contains("kubernetes");
    assertThat(env(compute, "COMPUTE_CONCURRENCY")).contains("1");
    assertThat(env(compute, "COMPUTE_POD_STARTUP_TIMEOUT")).contains("300s");
    // what one task may use, compute-service's own defaults (compute.limits.*)
    assertThat(env(compute, "COMPUTE_LIMITS_MEMORY")).contains("4Gi");
    assertThat(env(compute, "COMPUTE_LIMITS_CPU")).contains("2");
    assertThat(env(compute, "COMPUTE_LIMITS_DISK")).contains("10Gi");
    assertThat(env(compute, "COMPUTE_LIMITS_TIMEOUT")).contains("24h");
    assertThat(env(compute, "COMPUTE_LIMITS_PROCESSES")).isEmpty();
    assertThat(Manifests.envEntry(compute, "COMPUTE_POD_ACTIVE_DEADLINE")).isEmpty();
    assertThat(env(compute, "COMPUTE_POD_READ_ONLY_ROOT_FILESYSTEM")).contains("true");
    assertThat(Manifests.envEntry(compute, "COMPUTE_POD_RESOURCES")).isEmpty();
    assertThat(env(compute, "TASK_CHAINKEYS_ENABLED")).contains("false");
    assertThat(env(compute, "K8S_SECRET_NAMESPACE")).contains("default");
    assertThat(env(compute, "COMPUTE_KANIKO_IMAGE"))
        .contains("gcr.io/kaniko-project/executor:v1.6.0");
    assertThat(Manifests.initContainer(compute, "kaniko-cache-warmer")).isEmpty();

    List<Map<String, Object>> rules = list(manifests.get("Role", F + "-compute"), "rules");
    assertThat(rules)
        .anySatisfy(
            r -> {
              assertThat(Manifests.strings(r, "resources")).contains("pods", "pods/exec");
              assertThat(Manifests.strings(r, "verbs")).contains("create", "watch", "delete");
            });
    assertThat(rules)
        .anySatisfy(r -> assertThat(Manifests.strings(r, "resources")).contains("pods/log"));
    Map<String, Object> binding = manifests.get("RoleBinding", F + "-compute");
    assertThat(list(binding, "subjects").get(0)).containsEntry("name", F + "-compute");

    assertThat(
            Manifests.strings(
                list(manifests.get("Role", F + "-event"), "rules").get(0), "resources"))
        .containsExactly("statefulsets/scale");
  }

  @Test
  void apiSignsWebLoginsWithARandomSecretOfItsOwn() {
    Map<String, String> self = manifests.secretData("self");
    assertThat(self.get("jwt")).matches("[A-Za-z0-9]{64}").isNotEqualTo(self.get("secret"));
    assertThat(self.get("secret")).matches("[A-Za-z0-9]{64}");
    assertThat(list(container(manifests.workload("api")), "env"))
        .anySatisfy(
            e -> {
              assertThat(e.get("name")).isEqualTo("API_JWT_SECRET");
              assertThat(get(e, "valueFrom.secretKeyRef.name")).isEqualTo(F + "-self");
              assertThat(get(e, "valueFrom.secretKeyRef.key")).isEqualTo("jwt");
            });
    // A changed secret restarts the pods that read it.
    for (String workload : List.of("api", "org-link", "compute")) {
      assertThat(map(manifests.workload(workload), "spec.template.metadata.annotations"))
          .as(workload)
          .containsKey("checksum/self");
    }
    // Random, not derived from the release or the defaults: another render (here, where `lookup`
    // sees no cluster) gives other values.
    Map<String, String> again = Chart.render().secretData("self");
    assertThat(again.get("jwt")).isNotEqualTo(self.get("jwt"));
    assertThat(again.get("secret")).isNotEqualTo(self.get("secret"));
  }

  @Test
  void givenSecretsAreUsedAsGiven() {
    String jwt = "an-explicit-jwt-secret-of-at-least-32-characters";
    Map<String, Object> values =
        ValuesDoc.with(
            ValuesDoc.with(Chart.defaultValues(), "server.jwtSecret", jwt),
            "orgLink.selfSecret",
            "an-explicit-self-secret");
    Map<String, String> self = Chart.render(values).secretData("self");
    assertThat(self).containsEntry("jwt", jwt).containsEntry("secret", "an-explicit-self-secret");

    // api-service refuses a key under 32 characters; so does the chart, before anything starts.
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                Chart.render(
                    ValuesDoc.with(Chart.defaultValues(), "server.jwtSecret", "too-short")))
        .hasMessageContaining("server.jwtSecret must have 32 characters or more");
  }

  @Test
  void anUpgradeKeepsTheInstalledSecretsUnlessOthersAreGiven() {
    // What `lookup` returns on a cluster where the release is installed (helm template sees none).
    String installed =
        "(dict \"data\" (dict \"secret\" (b64enc \"installed-self-secret\")"
            + " \"jwt\" (b64enc \"installed-jwt-secret-installed-jwt-secret\")))";
    java.nio.file.Path upgraded =
        Chart.copyChart(
            (file, text) ->
                text.replace("(lookup \"v1\" \"Secret\" .Release.Namespace $name)", installed));
    try {
      assertThat(Chart.renderChart(upgraded, Chart.defaultValues()).secretData("self"))
          .containsEntry("secret", "installed-self-secret")
          .containsEntry("jwt", "installed-jwt-secret-installed-jwt-secret");
      String given = "a-new-jwt-secret-given-at-upgrade-0123456789";
      assertThat(
              Chart.renderChart(
                      upgraded, ValuesDoc.with(Chart.defaultValues(), "server.jwtSecret", given))
                  .secretData("self"))
          .containsEntry("secret", "installed-self-secret")
          .containsEntry("jwt", given);
    } finally {
      Chart.deleteRecursively(upgraded);
    }

    // Installed by an earlier version of the chart, which derived both from the release and the
    // default database password: replaced, since anyone can work them out.
    String derived =
        "(dict \"data\" (dict \"secret\" \""
            + derived("substra-self/org-1/org1/postgres")
            + "\" \"jwt\" \""
            + derived("substra-jwt/org-1/org1/postgres")
            + "\"))";
    java.nio.file.Path fromDerived =
        Chart.copyChart(
            (file, text) ->
                text.replace("(lookup \"v1\" \"Secret\" .Release.Namespace $name)", derived));
    try {
      Map<String, String> replaced =
          Chart.renderChart(fromDerived, Chart.defaultValues()).secretData("self");
      assertThat(replaced.get("secret"))
          .matches("[A-Za-z0-9]{64}")
          .isNotEqualTo(sha256Hex("substra-self/org-1/org1/postgres"));
      assertThat(replaced.get("jwt"))
          .matches("[A-Za-z0-9]{64}")
          .isNotEqualTo(sha256Hex("substra-jwt/org-1/org1/postgres"));
    } finally {
      Chart.deleteRecursively(fromDerived);
    }
  }

  /** What earlier chart versions stored: base64 of the sha256 (hex) of release facts. */
  private static String derived(String facts) {
    return java.util.Base64.getEncoder()
        .encodeToString(sha256Hex(facts).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
  }

  private static String sha256Hex(String text) {
    try {
      return java.util.HexFormat.of()
          .formatHex(
              java.security.MessageDigest.getInstance("SHA-256")
                  .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void servicesReachTheDeployedDependencies() {
    assertThat(manifests.configMapData("database"))
        .containsEntry(
            "QUARKUS_DATASOURCE_REACTIVE_URL", "postgresql://org1-postgresql:5432/substra")
        .containsEntry("QUARKUS_DATASOURCE_USERNAME", "postgres");
    assertThat(manifests.secretData("database"))
        .containsEntry("QUARKUS_DATASOURCE_PASSWORD", "postgres");
    assertThat(manifests.configMapData("rabbitmq"))
        .containsEntry("NODE_RABBITMQ_HOST", "org1-rabbitmq");
    assertThat(manifests.configMapData("objectstore"))
        .containsEntry("QUARKUS_MINIO_HOST", "http://org1-minio:9000");
    assertThat(manifests.secretData("objectstore"))
        .containsEntry("QUARKUS_MINIO_ACCESS_KEY", "minio")
        .containsEntry("QUARKUS_MINIO_SECRET_KEY", "minio1234");
    assertThat(manifests.configMapData("registry"))
        .containsEntry("NODE_REGISTRY_ADDRESS", "org1-docker-registry:5000");
    assertThat(manifests.find("StatefulSet", "org1-postgresql")).isPresent();
    assertThat(manifests.find("StatefulSet", "org1-rabbitmq")).isPresent();
    assertThat(manifests.find("StatefulSet", "org1-minio")).isPresent();
    Map<String, Object> registry = manifests.get("Service", "org1-docker-registry");
    assertThat(get(registry, "spec.type")).isEqualTo("NodePort");
    assertThat(list(registry, "spec.ports").get(0)).containsEntry("nodePort", 32000);
  }

  @Test
  void optionalPartsAreOff() {
    assertThat(manifests.ofKind("Ingress")).isEmpty();
    assertThat(manifests.ofKind("PodSecurityPolicy")).isEmpty();
    assertThat(manifests.ofKind("Job")).isEmpty();
    assertThat(Manifests.initContainer(manifests.workload("api"), "add-cert")).isEmpty();
    assertThat(manifests.configMapData("orchestrator"))
        .containsEntry("QUARKUS_GRPC_CLIENTS_ORCHESTRATOR_HOST", "orchestrator.local")
        .containsEntry("QUARKUS_GRPC_CLIENTS_ORCHESTRATOR_PLAIN_TEXT", "true");
  }

  @Test
  void noSecretValueInAConfigMap() {
    SecretsInConfigMaps.assertNone(manifests, false);
  }

  @Test
  void settingsOverrideThroughConfig() {
    Manifests custom =
        Chart.render(
            ValuesDoc.with(
                Chart.defaultValues(),
                "config",
                Map.of("QUARKUS_PROFILE", "staging", "COMPUTE_POD_GPU_LIMIT", 2)));
    assertThat(custom.configMapData("settings"))
        .containsEntry("QUARKUS_PROFILE", "staging")
        .containsEntry("COMPUTE_POD_GPU_LIMIT", "2");
  }

  @Test
  void bothSchedulerDeploymentsGetTheSameJobSettingsAndTheStoresTheJobsClean() {
    for (String role : List.of("scheduler", "scheduler-worker")) {
      Map<String, Object> scheduler = manifests.workload(role);
      assertThat(env(scheduler, "SCHEDULER_TOKEN_FLUSH_EVERY")).contains("24h");
      assertThat(env(scheduler, "SCHEDULER_TOKEN_FLUSH_ENABLED")).contains("true");
      assertThat(env(scheduler, "SCHEDULER_TOKEN_FLUSH_CRON")).isEmpty();
      assertThat(env(scheduler, "SCHEDULER_STORAGE_CLEANUP_ORPHAN_GRACE_PERIOD")).contains("24h");
      assertThat(env(scheduler, "SCHEDULER_STUCK_WORK_EVERY")).contains("5m");
      assertThat(env(scheduler, "SCHEDULER_STUCK_WORK_EXECUTING_TIMEOUT")).contains("24h");
      assertThat(env(scheduler, "SCHEDULER_STUCK_WORK_MAX_REDISPATCHES")).contains("3");
      assertThat(env(scheduler, "SCHEDULER_REGISTRY_HOUSEKEEPING_ENABLED")).contains("true");
      assertThat(env(scheduler, "SCHEDULER_REGISTRY_HOUSEKEEPING_RETENTION")).contains("7d");
      assertThat(env(scheduler, "SCHEDULER_RECONCILIATION_EVERY")).contains("30m");
      assertThat(env(scheduler, "SCHEDULER_RECONCILIATION_MAX_TASKS")).contains("1000");
      assertThat(env(scheduler, "SCHEDULER_RECONCILIATION_REPAIR")).contains("true");
      // The reconciliation reaches event-service through its Service.
      assertThat(env(scheduler, "SCHEDULER_RECONCILIATION_EVENT_SERVICE_URL"))
          .contains("http://" + F + "-event:8081");
      assertThat(get(manifests.get("Service", F + "-event"), "spec.ports").toString())
          .contains("8081");
      assertThat(list(container(scheduler), "envFrom").toString())
          .contains(Chart.FULLNAME + "-objectstore", Chart.FULLNAME + "-rabbitmq");
    }
  }
}
