package org.substra.node.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.LintResult;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The two values files of the "Link multiple backends" document, as operators write them. */
class LinkingDocumentTest {

  private static final Path INGEN = Chart.testValues("linking-ingen.yaml");
  private static final Path BIOTECHNICA = Chart.testValues("linking-biotechnica.yaml");

  @Test
  void bothFilesLint() {
    for (Path file : new Path[] {INGEN, BIOTECHNICA}) {
      LintResult result = Chart.lint(file);
      assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
    }
  }

  @Test
  void eachOrganizationAcceptsTheOtherOnTheSharedChannelAndCallsItWithItsSecret() {
    Map<String, String> ingen = Chart.render(INGEN).secretData("add-account");
    assertThat(ingen)
        .containsEntry("incoming_organizations", "biotechnica SECRET_ORG1_ORG2 our-channel\n")
        .containsEntry("outgoing_organizations", "biotechnica SECRET_ORG2_ORG1\n")
        .containsEntry("users", "");

    Map<String, String> biotechnica = Chart.render(BIOTECHNICA).secretData("add-account");
    assertThat(biotechnica)
        .containsEntry("incoming_organizations", "ingen SECRET_ORG2_ORG1 our-channel\n")
        .containsEntry("outgoing_organizations", "ingen SECRET_ORG1_ORG2\n");
  }

  @Test
  void olderNodeKeysAndNewerOrganizationKeysAreMerged() {
    Map<String, Object> values =
        ValuesDoc.with(
            Chart.merge(Chart.defaultValues(), Chart.loadYaml(INGEN)),
            "addAccountOperator.incomingNodes",
            java.util.List.of(Map.of("name", "tyrell", "secret", "TYRELL_SECRET")));
    assertThat(Chart.render(values).secretData("add-account"))
        .containsEntry(
            "incoming_organizations",
            "tyrell TYRELL_SECRET\nbiotechnica SECRET_ORG1_ORG2 our-channel\n");
  }

  @Test
  void orgLinkServiceMountsTheAccountsAndRestartsWhenTheyChange() {
    Manifests ingen = Chart.render(INGEN);
    Manifests biotechnica = Chart.render(BIOTECHNICA);
    Map<String, Object> orgLink = ingen.workload("org-link");
    assertThat(Manifests.list(Manifests.podSpec(orgLink), "volumes"))
        .anySatisfy(
            v ->
                assertThat(Manifests.get(v, "secret.secretName"))
                    .isEqualTo(Chart.FULLNAME + "-add-account"));
    assertThat(Manifests.env(orgLink, "ORG_LINK_ACCOUNTS_DIR")).contains("/var/substra/accounts");
    assertThat(Manifests.get(orgLink, "spec.template.metadata.annotations"))
        .isNotEqualTo(
            Manifests.get(biotechnica.workload("org-link"), "spec.template.metadata.annotations"));
  }

  @Test
  void anOutgoingAddressIsRenderedAndBothServicesShareTheOwnSecret() {
    Map<String, Object> values =
        ValuesDoc.with(
            Chart.merge(Chart.defaultValues(), Chart.loadYaml(INGEN)),
            "addAccountOperator.outgoingOrganizations",
            java.util.List.of(
                Map.of(
                    "name", "biotechnica",
                    "secret", "SECRET_ORG2_ORG1",
                    "address", "https://api.cluster-2.example")));
    Manifests ingen = Chart.render(values);
    assertThat(ingen.secretData("add-account"))
        .containsEntry(
            "outgoing_organizations",
            "biotechnica SECRET_ORG2_ORG1 https://api.cluster-2.example\n");

    assertThat(ingen.secretData("self").get("secret")).hasSize(64);
    for (String workload : new String[] {"org-link", "compute"}) {
      String variable =
          workload.equals("org-link") ? "ORG_LINK_SELF_SECRET" : "COMPUTE_ORG_LINK_SELF_SECRET";
      assertThat(Manifests.list(Manifests.container(ingen.workload(workload)), "env"))
          .anySatisfy(
              e -> {
                assertThat(e.get("name")).isEqualTo(variable);
                assertThat(Manifests.get(e, "valueFrom.secretKeyRef.name"))
                    .isEqualTo(Chart.FULLNAME + "-self");
              });
    }
    // Random at install (an upgrade reuses the installed Secret: DefaultValuesTest), never derived
    // from the values, so another render here gives another one.
    assertThat(Chart.render(values).secretData("self").get("secret"))
        .isNotEqualTo(ingen.secretData("self").get("secret"));
  }
}
