package org.substra.node.orglink.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.substra.node.orglink.accounts.AccountsFixture.query;
import static org.substra.node.orglink.accounts.AccountsFixture.write;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Predicate;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.substra.node.orglink.config.OrgLinkConfig;
import org.substra.node.testing.Dependency;
import org.substra.node.testing.WithLocalDependencies;

/** A change of the mounted files reaches the database without a restart. */
@QuarkusTest
@TestProfile(AccountPollingTest.FastPolling.class)
@WithLocalDependencies(value = Dependency.POSTGRESQL, database = "orglink_test")
class AccountPollingTest {

  public static class FastPolling implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "org-link.accounts-poll-interval", "1s",
          "org-link.accounts-dir", "target/test-accounts-polling");
    }
  }

  private static final String OUTGOING =
      "select organization_id, secret from org_link.outgoing_organizations";

  @Inject DataSource dataSource;
  @Inject OrgLinkConfig config;

  @Test
  void addsAndRemovesAPeerWhenTheFilesChange() throws Exception {
    Path dir = config.accountsDir();
    AccountsFixture.reset(dataSource, dir);

    write(dir, "outgoing_organizations", "biotechnica S2\n");
    awaitOutgoing(rows -> rows.containsKey("biotechnica"));

    write(dir, "outgoing_organizations", "");
    Map<String, String> rows = awaitOutgoing(r -> !r.containsKey("biotechnica"));
    assertThat(rows).containsOnlyKeys(config.mspId());
  }

  private Map<String, String> awaitOutgoing(Predicate<Map<String, String>> condition)
      throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
    Map<String, String> rows = query(dataSource, OUTGOING);
    while (!condition.test(rows)) {
      assertThat(Instant.now()).as("sync within 20 s, rows " + rows.keySet()).isBefore(deadline);
      Thread.sleep(200);
      rows = query(dataSource, OUTGOING);
    }
    return rows;
  }
}
