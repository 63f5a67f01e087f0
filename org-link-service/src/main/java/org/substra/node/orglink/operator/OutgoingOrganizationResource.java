package org.substra.node.orglink.operator;

import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.substra.node.orglink.probes.OutgoingTable;
import org.substra.node.orglink.probes.PeerState;
import org.substra.node.orglink.probes.PeerStates;

/**
 * {@code GET /outgoing-organizations}: the outgoing check (worker-spec §6.4 {@code
 * get_outgoing_organization}) over HTTP, for the node's ADMIN users; JSON, or the command's table
 * as {@code text/plain}. Probes now unless {@code ?cached=true} asks for the last periodic probe.
 */
@Path("/outgoing-organizations")
@Blocking
public class OutgoingOrganizationResource {

  private final PeerStates peers;
  private final AdminCredentials admins;

  OutgoingOrganizationResource(PeerStates peers, AdminCredentials admins) {
    this.peers = peers;
    this.admins = admins;
  }

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  public Response json(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      @QueryParam("cached") boolean cached)
      throws Exception {
    if (!admins.accepts(authorization)) {
      return unauthorized();
    }
    return Response.ok(states(cached)).build();
  }

  @GET
  @Produces(MediaType.TEXT_PLAIN)
  public Response table(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      @QueryParam("cached") boolean cached)
      throws Exception {
    if (!admins.accepts(authorization)) {
      return unauthorized();
    }
    return Response.ok(OutgoingTable.format(states(cached))).build();
  }

  private List<PeerState> states(boolean cached) throws Exception {
    return cached ? peers.last() : peers.refresh();
  }

  private static Response unauthorized() {
    return Response.status(401)
        .header("WWW-Authenticate", "Basic realm=\"org-link-service\"")
        .type(MediaType.APPLICATION_JSON)
        .entity("{\"detail\": \"Authentication credentials were not provided or are invalid.\"}")
        .build();
  }
}
