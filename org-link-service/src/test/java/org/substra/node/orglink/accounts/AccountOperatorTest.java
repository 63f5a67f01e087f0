package org.substra.node.orglink.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.substra.node.orglink.accounts.AccountsFixture.execute;
import static org.substra.node.orglink.accounts.AccountsFixture.query;
import static org.substra.node.orglink.accounts.AccountsFixture.write;

import io.quarkus.elytron.security.common.BcryptUtil;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.substra.node.orglink.config.OrgLinkConfig;
import org.substra.node.orglink.credentials.SecretHasher;
import org.substra.node.testing.Dependency;
import org.substra.node.testing.WithLocalDependencies;

@QuarkusTest
@WithLocalDependencies(value = Dependency.POSTGRESQL, database = "orglink_test")
class AccountOperatorTest {

  private static final String INCOMING =
      "select organization_id, secret_hash || '|' || coalesce(channel, '-') from"
          + " org_link.incoming_organizations";
  private static final String OUTGOING =
      "select organization_id, secret || '|' || coalesce(address, '-') from"
          + " org_link.outgoing_organizations";
  private static final String USERS =
      "select username, password_hash || '|' || coalesce(channel, '-') from api.users";

  @Inject AccountOperator operator;
  @Inject AccountSync sync;
  @Inject DataSource dataSource;
  @Inject OrgLinkConfig config;

  Path dir;

  @BeforeEach
  void reset() throws Exception {
    dir = config.accountsDir();
    AccountsFixture.reset(dataSource, dir);
  }

  @Test
  void syncsTheLinkingDocumentFormsAndTheOlderOnesAndAddsThisOrganization() throws Exception {
    write(dir, "incoming_organizations", "biotechnica SECRET_ORG1_ORG2 our-channel\n");
    write(dir, "incoming_nodes", "# chart 16 form\nolder-org OLD_SECRET\n");
    write(dir, "outgoing_organizations", "biotechnica SECRET_ORG2_ORG1\n");
    write(dir, "outgoing_nodes", "older-org OUT_SECRET http://older.example:8000\n");
    write(dir, "users", "alice alice-password our-channel\nbob bob-password\n");

    AccountSync.Report report = sync.apply(AccountFiles.read(dir));

    Map<String, String> incoming = query(dataSource, INCOMING);
    assertThat(incoming).containsOnlyKeys("biotechnica", "older-org", config.mspId());
    // Stored hashed, channel by position (not "the last token is the secret").
    assertThat(incoming.get("biotechnica")).startsWith("pbkdf2_sha256$").endsWith("|our-channel");
    assertThat(SecretHasher.matches("SECRET_ORG1_ORG2", hashOf(incoming.get("biotechnica"))))
        .isTrue();
    assertThat(incoming.get("biotechnica")).doesNotContain("SECRET_ORG1_ORG2");
    assertThat(incoming.get("older-org")).endsWith("|-");

    Map<String, String> outgoing = query(dataSource, OUTGOING);
    assertThat(outgoing)
        .containsEntry("biotechnica", "SECRET_ORG2_ORG1|-")
        .containsEntry("older-org", "OUT_SECRET|http://older.example:8000")
        .containsKey(config.mspId());
    // Own credentials: the secret sent to itself is the one it accepts.
    String selfSecret = outgoing.get(config.mspId()).split("\\|")[0];
    assertThat(selfSecret).hasSize(128);
    assertThat(SecretHasher.matches(selfSecret, hashOf(incoming.get(config.mspId())))).isTrue();

    Map<String, String> users = query(dataSource, USERS);
    assertThat(users).containsOnlyKeys("alice", "bob");
    assertThat(BcryptUtil.matches("alice-password", hashOf(users.get("alice")))).isTrue();
    assertThat(users.get("alice")).endsWith("|our-channel");
    assertThat(users.get("bob")).endsWith("|" + config.channels().get(0));
    assertThat(report.changes())
        .contains(
            "incoming organization added: biotechnica (channel our-channel)",
            "user added: alice (channel our-channel)");
  }

  @Test
  void aSecondSyncOfTheSameFilesChangesNothingAndKeepsTheOwnSecret() throws Exception {
    write(dir, "incoming_organizations", "biotechnica S1 our-channel\n");
    write(dir, "outgoing_organizations", "biotechnica S2\n");
    write(dir, "users", "alice pw our-channel\n");
    sync.apply(AccountFiles.read(dir));
    Map<String, String> before = query(dataSource, INCOMING);
    Map<String, String> outgoingBefore = query(dataSource, OUTGOING);

    AccountSync.Report again = sync.apply(AccountFiles.read(dir));

    assertThat(again.changes()).isEmpty();
    assertThat(query(dataSource, INCOMING)).isEqualTo(before);
    assertThat(query(dataSource, OUTGOING)).isEqualTo(outgoingBefore);
  }

  @Test
  void updatesChangedEntriesAndRemovesMissingOnesButNotUsersItDidNotCreate() throws Exception {
    execute(
        dataSource,
        "insert into api.users (username, password_hash, channel) values ('first-user', '"
            + BcryptUtil.bcryptHash("first")
            + "', 'mychannel')");
    write(dir, "incoming_organizations", "biotechnica S1 our-channel\nother S3\n");
    write(dir, "outgoing_organizations", "biotechnica S2\nother S4\n");
    write(dir, "users", "alice pw our-channel\ncarol pw2 our-channel\n");
    sync.apply(AccountFiles.read(dir));

    write(dir, "incoming_organizations", "biotechnica NEW1 other-channel\n");
    write(dir, "outgoing_organizations", "biotechnica NEW2 https://bio.example\n");
    write(dir, "users", "alice newpw our-channel\n");
    AccountSync.Report report = sync.apply(AccountFiles.read(dir));

    Map<String, String> incoming = query(dataSource, INCOMING);
    assertThat(incoming).containsOnlyKeys("biotechnica", config.mspId());
    assertThat(SecretHasher.matches("NEW1", hashOf(incoming.get("biotechnica")))).isTrue();
    assertThat(incoming.get("biotechnica")).endsWith("|other-channel");
    assertThat(query(dataSource, OUTGOING))
        .containsEntry("biotechnica", "NEW2|https://bio.example")
        .doesNotContainKey("other");
    Map<String, String> users = query(dataSource, USERS);
    assertThat(users).containsOnlyKeys("alice", "first-user");
    assertThat(BcryptUtil.matches("newpw", hashOf(users.get("alice")))).isTrue();
    assertThat(report.changes())
        .contains(
            "incoming organization removed: other",
            "outgoing organization removed: other",
            "user removed: carol",
            "incoming organization updated: biotechnica (channel other-channel)");
  }

  @Test
  void aMalformedEntryIsNamedAndLeavesTheStoredCredentialsAlone() throws Exception {
    write(dir, "outgoing_organizations", "biotechnica S2\n");
    assertThat(operator.syncIfChanged()).isTrue();
    Map<String, String> before = query(dataSource, OUTGOING);

    write(dir, "outgoing_organizations", "biotechnica S2\nbroken-org\n");
    assertThat(operator.syncIfChanged()).isFalse();

    assertThat(operator.status())
        .hasValueSatisfying(
            status -> {
              assertThat(status.ok()).isFalse();
              assertThat(status.message())
                  .contains("'broken-org'")
                  .contains("outgoing_organizations line 2");
            });
    assertThat(query(dataSource, OUTGOING)).isEqualTo(before);

    write(dir, "outgoing_organizations", "biotechnica S2 not-an-address\n");
    assertThat(operator.syncIfChanged()).isFalse();
    assertThat(operator.status().orElseThrow().message())
        .contains("'biotechnica'")
        .doesNotContain("S2");
  }

  @Test
  void theOwnSecretComesFromTheFilesWhenTheyListThisOrganization() throws Exception {
    write(dir, "incoming_organizations", config.mspId() + " selfSecret1\n");
    write(dir, "outgoing_organizations", config.mspId() + " selfSecret1\n");

    sync.apply(AccountFiles.read(dir));

    assertThat(query(dataSource, OUTGOING)).containsEntry(config.mspId(), "selfSecret1|-");
    assertThat(
            SecretHasher.matches(
                "selfSecret1", hashOf(query(dataSource, INCOMING).get(config.mspId()))))
        .isTrue();
  }

  private static String hashOf(String row) {
    return row.substring(0, row.lastIndexOf('|'));
  }
}
