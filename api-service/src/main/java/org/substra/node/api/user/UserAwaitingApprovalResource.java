package org.substra.node.api.user;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.util.Map;
import org.substra.node.api.auth.CurrentUser;
import org.substra.node.api.listing.Listing;

/** {@code /users-awaiting-approval/}: admins admit or turn away users without a channel (§2.9). */
@Path("/users-awaiting-approval/")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public class UserAwaitingApprovalResource {

  private final UserAdministration administration;
  private final CurrentUser current;

  UserAwaitingApprovalResource(UserAdministration administration, CurrentUser current) {
    this.administration = administration;
    this.current = current;
  }

  @GET
  public Uni<Map<String, Object>> list(@Context UriInfo uri) {
    return administration.awaitingApproval(current.required(), new Listing(uri, 100));
  }

  @PUT
  public Uni<Map<String, Object>> approve(@QueryParam("username") String username, String body) {
    return administration.approve(current.required(), username, body);
  }

  @DELETE
  public Uni<Map<String, Object>> reject(@QueryParam("username") String username) {
    return administration
        .reject(current.required(), username)
        .replaceWith(Map.of("detail", "User removed"));
  }
}
