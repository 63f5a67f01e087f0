package org.substra.node.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Deployments other than the defaults: old clusters, a standalone orchestrator, external services.
 */
class ChartVariantsTest {

  private static final String F = Chart.FULLNAME;

  @Test
  void podSecurityPolicyOnlyWhereTheClusterServesIt() {
    assertThat(Chart.render().ofKind("PodSecurityPolicy")).isEmpty();

    Path oldCluster = Chart.copyForOldClusterWithVisibleHooks();
    try {
      Manifests manifests = Chart.renderChart(oldCluster, Chart.defaultValues());
      assertThat(manifests.ofKind("PodSecurityPolicy"))
          .extracting(p -> Manifests.get(p, "metadata.name"))
          .containsExactly(F + "-psp", F + "-psp-build");
      assertThat(
              Manifests.get(manifests.get("PodSecurityPolicy", F + "-psp"), "spec.runAsUser.rule"))
          .isEqualTo("MustRunAsNonRoot");
      assertThat(Manifests.list(manifests.get("Role", F + "-compute"), "rules"))
          .anySatisfy(
              r -> {
                assertThat(Manifests.strings(r, "apiGroups")).containsExactly("policy");
                assertThat(Manifests.strings(r, "verbs")).containsExactly("use");
              });

      Manifests withoutPsp =
          Chart.renderChart(oldCluster, ValuesDoc.with(Chart.defaultValues(), "psp.create", false));
      assertThat(withoutPsp.ofKind("PodSecurityPolicy")).isEmpty();
    } finally {
      Chart.deleteRecursively(oldCluster);
    }
  }

  @Test
  void standaloneOrchestrator() {
    Map<String, Object> values =
        ValuesDoc.with(Chart.defaultValues(), "orchestrator.standalone.enabled", true);
    values =
        ValuesDoc.with(
            values,
            "orchestrator.standalone.members",
            Map.of("mychannel", List.of("OwkinPeerMSP", "OtherMSP")));
    Manifests manifests = Chart.render(values);

    Map<String, Object> orchestrator = manifests.workload("orchestrator");
    assertThat(Manifests.container(orchestrator))
        .containsEntry("image", "substra-node/orchestrator-service:0.1.0");
    assertThat(Manifests.container(orchestrator)).containsKeys("livenessProbe", "readinessProbe");
    assertThat(Manifests.list(manifests.get("Service", F + "-orchestrator"), "spec.ports"))
        .extracting(p -> p.get("port"))
        .containsExactly(9000, 8484);
    assertThat(manifests.configMapData("orchestrator-channels").get("application.properties"))
        .asString()
        .contains("orchestrator.channels.\"mychannel\"=OwkinPeerMSP,OtherMSP");
    assertThat(manifests.configMapData("orchestrator"))
        .containsEntry("QUARKUS_GRPC_CLIENTS_ORCHESTRATOR_HOST", F + "-orchestrator");
    // its events come through the node's own broker
    assertThat(Manifests.env(manifests.workload("event"), "EVENTS_ORCHESTRATOR_RABBITMQ_HOST"))
        .contains("org1-rabbitmq");
    assertThat(manifests.secretData("orchestrator-rabbitmq"))
        .containsEntry("EVENTS_ORCHESTRATOR_RABBITMQ_PASSWORD", "rabbitmq");
  }

  @Test
  void externalDependencies() {
    Map<String, Object> values = Chart.defaultValues();
    for (String dependency : List.of("postgresql", "rabbitmq", "minio", "docker-registry")) {
      values = ValuesDoc.with(values, dependency + ".enabled", false);
    }
    values = ValuesDoc.with(values, "postgresql.host", "db.example.com");
    values = ValuesDoc.with(values, "rabbitmq.host", "mq.example.com");
    values = ValuesDoc.with(values, "minio.host", "s3.example.com");
    values = ValuesDoc.with(values, "minio.port", 443);
    values = ValuesDoc.with(values, "minio.secure", true);
    Manifests manifests = Chart.render(values);

    assertThat(manifests.find("StatefulSet", "org1-postgresql")).isEmpty();
    assertThat(manifests.find("StatefulSet", "org1-rabbitmq")).isEmpty();
    assertThat(manifests.find("StatefulSet", "org1-minio")).isEmpty();
    assertThat(manifests.find("Deployment", "org1-docker-registry")).isEmpty();
    assertThat(manifests.configMapData("database"))
        .containsEntry(
            "QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://db.example.com:5432/substra");
    assertThat(manifests.configMapData("rabbitmq"))
        .containsEntry("NODE_RABBITMQ_HOST", "mq.example.com");
    assertThat(manifests.configMapData("objectstore"))
        .containsEntry("QUARKUS_MINIO_HOST", "https://s3.example.com:443")
        .containsEntry("QUARKUS_MINIO_SECURE", "true");
  }

  @Test
  void chainkeysReachComputeServiceUnderUpstreamsNames() {
    Map<String, Object> values =
        ValuesDoc.with(
            ValuesDoc.with(Chart.defaultValues(), "worker.chainkeys.enabled", true),
            "worker.chainkeys.secretNamespace",
            "secure-agg");
    Map<String, Object> compute = Chart.render(values).workload("compute");
    assertThat(Manifests.env(compute, "TASK_CHAINKEYS_ENABLED")).contains("true");
    assertThat(Manifests.env(compute, "K8S_SECRET_NAMESPACE")).contains("secure-agg");
  }

  @Test
  void computePodLimitsAndDeadlineReachComputeService() {
    Map<String, Object> values = Chart.defaultValues();
    values = ValuesDoc.with(values, "worker.computePod.limits.memory", "16Gi");
    values = ValuesDoc.with(values, "worker.computePod.limits.cpu", 4);
    values = ValuesDoc.with(values, "worker.computePod.limits.disk", "50Gi");
    values = ValuesDoc.with(values, "worker.computePod.limits.timeout", "90m");
    values = ValuesDoc.with(values, "worker.computePod.activeDeadline", "3h");
    values = ValuesDoc.with(values, "worker.computePod.readOnlyRootFilesystem", false);
    values =
        ValuesDoc.with(
            values, "worker.computePod.resources", Map.of("limits", Map.of("memory", "64Gi")));
    Map<String, Object> compute = Chart.render(values).workload("compute");

    assertThat(Manifests.env(compute, "COMPUTE_LIMITS_MEMORY")).contains("16Gi");
    assertThat(Manifests.env(compute, "COMPUTE_LIMITS_CPU")).contains("4");
    assertThat(Manifests.env(compute, "COMPUTE_LIMITS_DISK")).contains("50Gi");
    assertThat(Manifests.env(compute, "COMPUTE_LIMITS_TIMEOUT")).contains("90m");
    assertThat(Manifests.env(compute, "COMPUTE_POD_ACTIVE_DEADLINE")).contains("3h");
    assertThat(Manifests.env(compute, "COMPUTE_POD_READ_ONLY_ROOT_FILESYSTEM")).contains("false");
    // explicit resources still travel as they are: compute-service lets them win
    assertThat(Manifests.env(compute, "COMPUTE_POD_RESOURCES"))
        .contains("{\"limits\":{\"memory\":\"64Gi\"}}");
  }

  @Test
  void malformedComputePodLimitsAreRefusedByTheSchema() {
    assertThatThrownBy(
            () ->
                Chart.render(
                    ValuesDoc.with(
                        Chart.defaultValues(), "worker.computePod.limits.timeout", "one day")))
        .hasMessageContaining("timeout");
    assertThatThrownBy(
            () ->
                Chart.render(
                    ValuesDoc.with(
                        Chart.defaultValues(), "worker.computePod.limits.memory", "4 GB")))
        .hasMessageContaining("memory");
  }

  @Test
  void oidcValuesReachApiServiceOneToOne() {
    Map<String, Object> api = Chart.render().workload("api");
    assertThat(Manifests.envEntry(api, "API_OIDC_ENABLED")).isEmpty();

    Map<String, Object> values = Chart.defaultValues();
    values = ValuesDoc.with(values, "oidc.enabled", true);
    values = ValuesDoc.with(values, "oidc.clientSecretName", "oidc-client");
    values = ValuesDoc.with(values, "oidc.provider.url", "https://id.example.org/realms/substra");
    values = ValuesDoc.with(values, "oidc.provider.displayName", "Example ID");
    values = ValuesDoc.with(values, "oidc.provider.endpoints.jwks", "https://keys.example.org/");
    values = ValuesDoc.with(values, "oidc.signAlgo", "HS256");
    values = ValuesDoc.with(values, "oidc.users.appendDomain", true);
    values = ValuesDoc.with(values, "oidc.users.channel", "mychannel");
    values = ValuesDoc.with(values, "oidc.users.loginValidityDuration", 600);
    values = ValuesDoc.with(values, "oidc.users.useRefreshToken", true);
    api = Chart.render(values).workload("api");

    Map<String, String> expected = new java.util.LinkedHashMap<>();
    expected.put("API_OIDC_ENABLED", "true");
    expected.put("API_OIDC_PROVIDER_URL", "https://id.example.org/realms/substra");
    expected.put("API_OIDC_DISPLAY_NAME", "Example ID");
    expected.put("API_OIDC_ENDPOINTS_JWKS", "https://keys.example.org/");
    expected.put("API_OIDC_SIGN_ALGO", "HS256");
    expected.put("API_OIDC_USERS_APPEND_DOMAIN", "true");
    expected.put("API_OIDC_USERS_DEFAULT_CHANNEL", "mychannel");
    expected.put("API_OIDC_USERS_LOGIN_VALIDITY_DURATION", "600s");
    expected.put("API_OIDC_USERS_USE_REFRESH_TOKEN", "true");
    for (Map.Entry<String, String> env : expected.entrySet()) {
      assertThat(Manifests.env(api, env.getKey())).as(env.getKey()).contains(env.getValue());
    }
    // Endpoints left to discovery are not set at all.
    assertThat(Manifests.envEntry(api, "API_OIDC_ENDPOINTS_TOKEN")).isEmpty();
    assertThat(Manifests.envEntry(api, "API_OIDC_CLIENT_ID").orElseThrow())
        .extracting(e -> Manifests.get(e, "valueFrom.secretKeyRef"))
        .isEqualTo(Map.of("name", "oidc-client", "key", "OIDC_RP_CLIENT_ID"));
    assertThat(Manifests.envEntry(api, "API_OIDC_CLIENT_SECRET").orElseThrow())
        .extracting(e -> Manifests.get(e, "valueFrom.secretKeyRef"))
        .isEqualTo(Map.of("name", "oidc-client", "key", "OIDC_RP_CLIENT_SECRET", "optional", true));

    // Approval required: new users get no channel, whatever oidc.users.channel says.
    Map<String, Object> approval =
        Chart.render(ValuesDoc.with(values, "oidc.users.requireApproval", true)).workload("api");
    assertThat(Manifests.envEntry(approval, "API_OIDC_USERS_DEFAULT_CHANNEL")).isEmpty();

    Map<String, Object> withoutSecret = ValuesDoc.with(values, "oidc.clientSecretName", null);
    assertThatThrownBy(() -> Chart.render(withoutSecret))
        .hasMessageContaining("oidc.clientSecretName");
  }

  @Test
  void exampleImagesFileGivesEachServiceItsOwnImage() {
    Path example = Chart.DIR.resolve("examples/images.yaml");
    assertThat(Chart.lint(example).isFailed()).isFalse();
    Map<String, Object> values =
        ValuesDoc.with(
            Chart.merge(Chart.defaultValues(), Chart.loadYaml(example)),
            "orchestrator.standalone.enabled",
            true);
    Manifests manifests = Chart.render(values);
    Map<String, String> services =
        Map.of(
            "api", "api-service",
            "compute", "compute-service",
            "event", "event-service",
            "scheduler", "scheduler-service",
            "scheduler-worker", "scheduler-service",
            "org-link", "org-link-service",
            "orchestrator", "orchestrator-service");
    services.forEach(
        (component, service) ->
            assertThat(Manifests.container(manifests.workload(component)).get("image"))
                .isEqualTo("ghcr.io/my-org/substra-node/" + service + ":0.1.0"));
  }

  @Test
  void schemaRejectsMistakes() {
    Map<String, Object> defaults = Chart.defaultValues();
    assertThatThrownBy(() -> Chart.render(ValuesDoc.with(defaults, "settings", "production")))
        .hasMessageContaining("settings");
    assertThatThrownBy(
            () -> Chart.render(ValuesDoc.with(defaults, "orchestrator.tls.enable", true)))
        .hasMessageContaining("enable");
    assertThatThrownBy(
            () ->
                Chart.render(
                    ValuesDoc.with(
                        defaults,
                        "addAccountOperator.users",
                        List.of(Map.of("name", "admin", "secret", "two words")))))
        .hasMessageContaining("secret");
    assertThatThrownBy(() -> Chart.render(ValuesDoc.with(defaults, "worker.replicaCount", "two")))
        .hasMessageContaining("replicaCount");
  }
}
