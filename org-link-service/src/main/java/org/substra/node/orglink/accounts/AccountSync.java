package org.substra.node.orglink.accounts;

import io.quarkus.elytron.security.common.BcryptUtil;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.substra.node.orglink.accounts.AccountFiles.Accounts;
import org.substra.node.orglink.accounts.UserAccountRepository.UserRow;
import org.substra.node.orglink.config.OrgLinkConfig;
import org.substra.node.orglink.credentials.CredentialRepository;
import org.substra.node.orglink.credentials.IncomingOrganization;
import org.substra.node.orglink.credentials.OutgoingOrganization;
import org.substra.node.orglink.credentials.SecretHasher;

/**
 * Makes the database match the account files (worker-spec §6.5, HEAD behaviour: a full declarative
 * sync): entries are added, changed ones updated, missing ones removed; an unchanged entry is not
 * written, so running it twice changes nothing. The whole sync is one transaction.
 */
@ApplicationScoped
public class AccountSync {

  /** What one sync changed, one human-readable line per change (never a secret). */
  public record Report(List<String> changes, boolean usersPending) {}

  private static final SecureRandom RANDOM = new SecureRandom();

  private final DataSource dataSource;
  private final CredentialRepository credentials;
  private final UserAccountRepository users;
  private final OrgLinkConfig config;

  AccountSync(
      DataSource dataSource,
      CredentialRepository credentials,
      UserAccountRepository users,
      OrgLinkConfig config) {
    this.dataSource = dataSource;
    this.credentials = credentials;
    this.users = users;
    this.config = config;
  }

  public Report apply(Accounts accounts) throws SQLException {
    List<String> changes = new ArrayList<>();
    boolean usersPending;
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try {
        Map<String, OutgoingOrganization> outgoingNow = credentials.outgoing(connection);
        String selfSecret = selfSecret(accounts, outgoingNow);
        syncIncoming(connection, accounts, selfSecret, changes);
        syncOutgoing(connection, accounts, outgoingNow, selfSecret, changes);
        usersPending = !users.usersTableExists(connection);
        if (!usersPending) {
          syncUsers(connection, accounts, changes);
        }
        connection.commit();
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      }
    }
    return new Report(changes, usersPending);
  }

  /**
   * This node's own secret (worker-spec §6.1: services call their own api-service as an
   * organization). Precedence: configuration, then the files (upstream examples list the own MSP
   * ID), then the one already stored, else a new random one — so a restart keeps it.
   */
  private String selfSecret(Accounts accounts, Map<String, OutgoingOrganization> outgoingNow) {
    String self = config.mspId();
    return config
        .selfSecret()
        .filter(secret -> !secret.isBlank())
        .or(() -> find(accounts.outgoing(), self).map(AccountEntry::secret))
        .or(() -> find(accounts.incoming(), self).map(AccountEntry::secret))
        .or(() -> Optional.ofNullable(outgoingNow.get(self)).map(OutgoingOrganization::secret))
        .orElseGet(
            () -> {
              byte[] bytes = new byte[64];
              RANDOM.nextBytes(bytes);
              return HexFormat.of().formatHex(bytes);
            });
  }

  private void syncIncoming(
      Connection connection, Accounts accounts, String selfSecret, List<String> changes)
      throws SQLException {
    Map<String, AccountEntry> wanted = byName(accounts.incoming());
    wanted.put(
        config.mspId(),
        new AccountEntry("this organization", config.mspId(), selfSecret, Optional.empty()));
    Map<String, IncomingOrganization> current = credentials.incoming(connection);
    for (AccountEntry entry : wanted.values()) {
      String channel = entry.third().orElse(null);
      IncomingOrganization existing = current.get(entry.name());
      if (existing != null
          && Objects.equals(existing.channel(), channel)
          && SecretHasher.matches(entry.secret(), existing.secretHash())) {
        continue;
      }
      credentials.upsertIncoming(
          connection,
          new IncomingOrganization(
              entry.name(),
              SecretHasher.hash(entry.secret(), config.incomingHashIterations()),
              channel));
      changes.add(
          (existing == null ? "incoming organization added: " : "incoming organization updated: ")
              + entry.name()
              + (channel == null ? "" : " (channel " + channel + ")"));
    }
    for (String name : current.keySet()) {
      if (!wanted.containsKey(name)) {
        credentials.deleteIncoming(connection, name);
        changes.add("incoming organization removed: " + name);
      }
    }
  }

  private void syncOutgoing(
      Connection connection,
      Accounts accounts,
      Map<String, OutgoingOrganization> current,
      String selfSecret,
      List<String> changes)
      throws SQLException {
    Map<String, OutgoingOrganization> wanted = new LinkedHashMap<>();
    for (AccountEntry entry : accounts.outgoing()) {
      wanted.put(
          entry.name(),
          new OutgoingOrganization(entry.name(), entry.secret(), entry.third().orElse(null)));
    }
    OutgoingOrganization listedSelf = wanted.get(config.mspId());
    wanted.put(
        config.mspId(),
        new OutgoingOrganization(
            config.mspId(), selfSecret, listedSelf == null ? null : listedSelf.address()));
    for (OutgoingOrganization row : wanted.values()) {
      OutgoingOrganization existing = current.get(row.organizationId());
      if (row.equals(existing)) {
        continue;
      }
      credentials.upsertOutgoing(connection, row);
      changes.add(
          (existing == null ? "outgoing organization added: " : "outgoing organization updated: ")
              + row.organizationId()
              + (row.address() == null ? "" : " (" + row.address() + ")"));
    }
    for (String name : current.keySet()) {
      if (!wanted.containsKey(name)) {
        credentials.deleteOutgoing(connection, name);
        changes.add("outgoing organization removed: " + name);
      }
    }
  }

  /**
   * Users: created or updated from the files (channel defaults to this node's first channel);
   * removed only when this operator created them, so the first user api-service bootstraps, or
   * users made by other means, survive a sync.
   */
  private void syncUsers(Connection connection, Accounts accounts, List<String> changes)
      throws SQLException {
    Map<String, UserRow> current = users.users(connection);
    Set<String> managed = users.managed(connection);
    Map<String, AccountEntry> wanted = byName(accounts.users());
    for (AccountEntry entry : wanted.values()) {
      String channel = entry.third().orElse(config.channels().get(0));
      UserRow existing = current.get(entry.name());
      if (existing == null) {
        users.insert(
            connection, new UserRow(entry.name(), BcryptUtil.bcryptHash(entry.secret()), channel));
        changes.add("user added: " + entry.name() + " (channel " + channel + ")");
      } else if (!Objects.equals(existing.channel(), channel)
          || !BcryptUtil.matches(entry.secret(), existing.passwordHash())) {
        users.update(
            connection, new UserRow(entry.name(), BcryptUtil.bcryptHash(entry.secret()), channel));
        changes.add("user updated: " + entry.name() + " (channel " + channel + ")");
      }
      if (!managed.contains(entry.name())) {
        users.markManaged(connection, entry.name());
      }
    }
    for (String name : managed) {
      if (wanted.containsKey(name)) {
        continue;
      }
      if (current.containsKey(name)) {
        users.delete(connection, name);
        changes.add("user removed: " + name);
      } else {
        users.unmark(connection, name);
      }
    }
  }

  private static Map<String, AccountEntry> byName(List<AccountEntry> entries) {
    Map<String, AccountEntry> map = new LinkedHashMap<>();
    entries.forEach(entry -> map.put(entry.name(), entry));
    return map;
  }

  private static Optional<AccountEntry> find(List<AccountEntry> entries, String name) {
    return entries.stream().filter(entry -> entry.name().equals(name)).findFirst();
  }
}
