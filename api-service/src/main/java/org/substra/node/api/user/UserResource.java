package org.substra.node.api.user;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.util.Map;
import org.jboss.resteasy.reactive.RestResponse;
import org.substra.node.api.auth.CurrentUser;
import org.substra.node.api.listing.Listing;

/** User management for the web frontend (REST spec §2.9). */
@Path("/users/")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public class UserResource {

  private final UserAdministration administration;
  private final PasswordResets resets;
  private final CurrentUser current;

  UserResource(UserAdministration administration, PasswordResets resets, CurrentUser current) {
    this.administration = administration;
    this.resets = resets;
    this.current = current;
  }

  @GET
  public Uni<Map<String, Object>> list(@Context UriInfo uri) {
    return administration.list(current.required(), new Listing(uri, 100));
  }

  @POST
  public Uni<RestResponse<Map<String, Object>>> create(String body) {
    return administration
        .create(current.required(), body)
        .map(user -> RestResponse.status(RestResponse.Status.CREATED, user));
  }

  @GET
  @Path("{username}/")
  public Uni<Map<String, Object>> get(@PathParam("username") String username) {
    return administration.get(current.required(), username);
  }

  @PUT
  @Path("{username}/")
  public Uni<Map<String, Object>> changeRole(@PathParam("username") String username, String body) {
    return administration.changeRole(current.required(), username, body);
  }

  @DELETE
  @Path("{username}/")
  public Uni<Map<String, Object>> delete(@PathParam("username") String username) {
    return administration.delete(current.required(), username).replaceWith(Map.of());
  }

  @PUT
  @Path("{username}/password/")
  public Uni<Map<String, Object>> changePassword(
      @PathParam("username") String username, String body) {
    return administration.changePassword(current.required(), username, body).replaceWith(Map.of());
  }

  @POST
  @Path("{username}/reset_password/")
  public Uni<Map<String, Object>> resetPassword(@PathParam("username") String username) {
    return resets.create(current.required(), username);
  }

  /** Anonymous: the token is the credential. */
  @POST
  @Path("{username}/set_password/")
  public Uni<Map<String, Object>> setPassword(@PathParam("username") String username, String body) {
    return resets.setPassword(username, body);
  }

  /** Anonymous: lets the frontend tell a dead reset link before asking for a new password. */
  @GET
  @Path("{username}/verify_token/")
  public Uni<Map<String, Object>> verifyToken(
      @PathParam("username") String username, @QueryParam("token") String token) {
    return resets
        .verify(username, token)
        .map(
            valid -> {
              if (!valid) {
                throw PasswordResets.invalidToken();
              }
              return Map.of();
            });
  }
}
