package org.substra.node.orglink.accounts;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.substra.node.orglink.accounts.AccountFiles.Accounts;
import org.substra.node.orglink.config.OrgLinkConfig;

/**
 * The account operator (worker-spec §6.5): syncs users and organization credentials from the
 * account folder at start-up and whenever its content changes (a mounted Secret is updated in
 * place, so the files are polled). A malformed entry stops that sync and is logged by name; the
 * credentials already stored stay in force until the files are fixed.
 */
@ApplicationScoped
public class AccountOperator {

  private static final Logger LOG = Logger.getLogger(AccountOperator.class);

  /** The outcome of the last sync attempt, for the health details. */
  public record Status(Instant at, boolean ok, String message) {}

  private final AccountSync sync;
  private final OrgLinkConfig config;
  private String syncedFingerprint;
  private boolean usersPending;
  private volatile Status status;

  AccountOperator(AccountSync sync, OrgLinkConfig config) {
    this.sync = sync;
    this.config = config;
  }

  void onStart(@Observes StartupEvent event) {
    if (config.accountsSyncEnabled()) {
      syncIfChanged();
    }
  }

  @Scheduled(
      every = "${org-link.accounts-poll-interval:10s}",
      delayed = "${org-link.accounts-poll-interval:10s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void poll() {
    if (config.accountsSyncEnabled()) {
      syncIfChanged();
    }
  }

  /** Syncs when the files changed since the last successful sync; returns whether it synced. */
  public synchronized boolean syncIfChanged() {
    try {
      String fingerprint = AccountFiles.fingerprint(config.accountsDir());
      if (fingerprint.equals(syncedFingerprint) && !usersPending) {
        return false;
      }
      Accounts accounts = AccountFiles.read(config.accountsDir());
      AccountSync.Report report = sync.apply(accounts);
      report.changes().forEach(change -> LOG.info("account operator: " + change));
      if (report.usersPending() && !accounts.users().isEmpty()) {
        LOG.warn(
            "account operator: table api.users does not exist yet (api-service has not migrated);"
                + " users will be synced on a later poll");
      }
      syncedFingerprint = accounts.fingerprint();
      usersPending = report.usersPending() && !accounts.users().isEmpty();
      status =
          new Status(
              Instant.now(),
              true,
              report.changes().isEmpty()
                  ? "in sync with " + config.accountsDir()
                  : report.changes().size() + " change(s) from " + config.accountsDir());
      return true;
    } catch (MalformedAccountEntryException e) {
      fail(e.getMessage());
    } catch (Exception e) {
      fail("account sync from " + config.accountsDir() + " failed: " + e);
    }
    return false;
  }

  private void fail(String message) {
    // Logged once per distinct error, not on every poll.
    if (status == null || status.ok() || !status.message().equals(message)) {
      LOG.error("account operator: " + message);
    }
    status = new Status(Instant.now(), false, message);
  }

  public Optional<Status> status() {
    return Optional.ofNullable(status);
  }
}
