package org.substra.node.api.oidc;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;

/**
 * {@code /oidc/authenticate/} and {@code /oidc/callback/}: the web frontend's login through the
 * OpenID provider (REST spec §2.7); 404 while {@code api.oidc.enabled} is off.
 */
@Path("/oidc/")
@Produces(MediaType.APPLICATION_JSON)
public class OidcResource {

  private final OidcLogin login;

  OidcResource(OidcLogin login) {
    this.login = login;
  }

  @GET
  @Path("authenticate/")
  public Uni<Response> authenticate(@QueryParam("next") String next) {
    return login.start(next).map(OidcResource::found);
  }

  @GET
  @Path("callback/")
  public Uni<Response> callback(
      @QueryParam("code") String code,
      @QueryParam("state") String state,
      @QueryParam("error") String error,
      @CookieParam(OidcFlow.COOKIE) String flow) {
    return login.complete(code, state, error, flow).map(OidcResource::found);
  }

  private static Response found(OidcLogin.Redirect redirect) {
    return Response.status(Response.Status.FOUND)
        .location(redirect.location())
        .cookie(redirect.cookies().toArray(NewCookie[]::new))
        .build();
  }
}
