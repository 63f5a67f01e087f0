package org.substra.node.api.auth;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.substra.node.api.oidc.OidcLoginValidity;
import org.substra.node.api.orglink.OrganizationAuthenticator;

/**
 * Resolves the {@code Authorization: Token <key>} header (also {@code Bearer}) of every API request
 * into the {@link CurrentUser}, {@code JWT <header.payload>} with the {@code signature} cookie from
 * the web frontend (REST spec §2.6), and {@code Basic} from other organizations on their routes; an
 * OIDC user's login must also still be valid (§2.1, {@link OidcLoginValidity}). Bad credentials are
 * refused even where authentication is optional (REST spec §2.1); whether credentials are required
 * is each resource's decision.
 */
public class AuthenticationFilter {

  private final AuthService auth;
  private final JwtLogin jwt;
  private final OrganizationAuthenticator organizations;
  private final OidcLoginValidity oidc;
  private final CurrentUser current;

  AuthenticationFilter(
      AuthService auth,
      JwtLogin jwt,
      OrganizationAuthenticator organizations,
      OidcLoginValidity oidc,
      CurrentUser current) {
    this.auth = auth;
    this.jwt = jwt;
    this.organizations = organizations;
    this.oidc = oidc;
    this.current = current;
  }

  // nonBlocking: Hibernate Reactive must run on the event loop, also before blocking endpoints.
  @ServerRequestFilter(priority = Priorities.AUTHENTICATION, nonBlocking = true)
  public Uni<Void> authenticate(ContainerRequestContext request) {
    String path = request.getUriInfo().getPath();
    String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
    // The login routes act on their own credentials; the frontend may still send an expired access
    // token when it refreshes (or logs in again), which must not turn that into a 401.
    if (header == null
        || header.isBlank()
        || path.startsWith("/api-token-auth")
        || path.startsWith("/me/")
        || path.startsWith("/oidc/")) {
      return Uni.createFrom().voidItem();
    }
    String[] jwtHeader = header.trim().split(" +");
    if (jwtHeader[0].equalsIgnoreCase("jwt")) {
      if (jwtHeader.length != 2) {
        return Uni.createFrom()
            .failure(
                JwtLogin.invalid("Authorization header must contain two space-delimited values"));
      }
      Cookie signature = request.getCookies().get(JwtCookies.SIGNATURE);
      return jwt.authenticate(jwtHeader[1], signature == null ? null : signature.getValue())
          .chain(oidc::check)
          .invoke(current::set)
          .replaceWithVoid();
    }
    if (OrganizationAuthenticator.isBasic(header)) {
      // Other backends (REST spec §2.8), on their routes only; elsewhere Basic is no credential.
      if (!OrganizationAuthenticator.acceptsRoute(path)) {
        return Uni.createFrom().voidItem();
      }
      return organizations
          .authenticate(header, request.getHeaderString(OrganizationAuthenticator.CHANNEL_HEADER))
          .invoke(current::set)
          .replaceWithVoid();
    }
    return auth.authenticate(header).chain(oidc::check).invoke(current::set).replaceWithVoid();
  }
}
