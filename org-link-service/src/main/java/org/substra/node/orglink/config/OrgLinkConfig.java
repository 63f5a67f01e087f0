package org.substra.node.orglink.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Settings of org-link-service. */
@ConfigMapping(prefix = "org-link")
public interface OrgLinkConfig {

  /** This organization's id in the network (Substra's MSP ID). */
  @WithDefault("MyOrg1MSP")
  String mspId();

  /** The channels this organization belongs to. */
  @WithDefault("mychannel")
  List<String> channels();

  /**
   * The folder holding the account files (the chart's Secret {@code <fullname>-add-account}):
   * {@code users}, {@code incoming_organizations}, {@code outgoing_organizations} and the older
   * {@code incoming_nodes}, {@code outgoing_nodes}; one {@code <name> <secret>[ <third>]} line per
   * entry. A missing folder or file means "no entries".
   */
  @WithDefault("/var/substra/accounts")
  Path accountsDir();

  /** Whether the account operator runs (off for the one-shot commands, e.g. check-outgoing). */
  @WithDefault("true")
  boolean accountsSyncEnabled();

  /** How often the account files are checked for changes (a mounted Secret changes in place). */
  @WithDefault("10s")
  Duration accountsPollInterval();

  /**
   * The secret this node uses to call itself (worker-spec §6.1: every node holds credentials for
   * its own MSP ID). When unset a random one is generated once and kept in the database.
   */
  Optional<String> selfSecret();

  /** PBKDF2-SHA256 iterations for new incoming-secret hashes (existing hashes keep theirs). */
  @WithDefault("100000")
  int incomingHashIterations();

  /** Probes of the outgoing organizations. */
  Probes probes();

  interface Probes {

    /** How often every outgoing organization is probed (state in metrics and health details). */
    @WithDefault("60s")
    Duration interval();

    /** Connect and read timeout of one probe (worker-spec §6.2 HTTP_CLIENT_TIMEOUT_SECONDS). */
    @WithDefault("5s")
    Duration timeout();
  }
}
