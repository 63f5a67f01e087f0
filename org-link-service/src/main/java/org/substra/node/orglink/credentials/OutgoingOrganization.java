package org.substra.node.orglink.credentials;

/**
 * An organization this node calls, with the secret it sends; {@code address} null means "the
 * address in the orchestrator's organization record".
 */
public record OutgoingOrganization(String organizationId, String secret, String address) {}
