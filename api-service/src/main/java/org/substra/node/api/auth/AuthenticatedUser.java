package org.substra.node.api.auth;

/** Who a request acts for: a user of this node, in its channel (null when it has none). */
public record AuthenticatedUser(Long id, String username, String role, String channel) {}
