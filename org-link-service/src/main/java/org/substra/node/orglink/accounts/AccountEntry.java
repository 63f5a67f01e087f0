package org.substra.node.orglink.accounts;

import java.util.Optional;

/**
 * One line of an account file: {@code <name> <secret>[ <third>]}, read by position (worker-spec
 * §6.5: upstream took the last token as the secret, which silently broke entries with a channel).
 * The third token is the channel for users and incoming organizations, the address for outgoing
 * ones.
 */
public record AccountEntry(String source, String name, String secret, Optional<String> third) {

  /** Where the entry comes from, without the secret: for logs and errors. */
  @Override
  public String toString() {
    return "'" + name + "' (" + source + ")";
  }
}
