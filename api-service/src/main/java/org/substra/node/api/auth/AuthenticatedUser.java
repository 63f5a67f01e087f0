package org.substra.node.api.auth;

import org.substra.node.api.user.User;

/**
 * Who a request acts for: a user of this node, in its channel (null when it has none); {@code
 * external} for users of an OIDC login, whose login window is checked on each request.
 */
public record AuthenticatedUser(
    Long id, String username, String role, String channel, boolean external) {

  static AuthenticatedUser of(User user) {
    return new AuthenticatedUser(
        user.id, user.username, user.role, user.channel, user.externalUser);
  }
}
