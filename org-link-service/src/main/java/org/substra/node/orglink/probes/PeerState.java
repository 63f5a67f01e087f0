package org.substra.node.orglink.probes;

import java.time.Instant;

/**
 * One outgoing organization as last probed: {@code httpStatus} is the status code as text, or the
 * error when no HTTP answer came (worker-spec §6.4 {@code get_outgoing_organization}).
 */
public record PeerState(
    String organizationId, String address, String httpStatus, boolean reachable, Instant at) {}
