package org.substra.node.orglink.credentials;

/** An organization allowed to call this node; {@code channel} null means any of our channels. */
public record IncomingOrganization(String organizationId, String secretHash, String channel) {}
