package org.substra.node.api.auth;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.substra.node.api.orglink.OrganizationAuthenticator;

/**
 * Resolves the {@code Authorization: Token <key>} header (also {@code Bearer}) of every API request
 * into the {@link CurrentUser}, and {@code Basic} from other organizations on their routes. Bad
 * credentials are refused even where authentication is optional (REST spec §2.1); whether
 * credentials are required is each resource's decision.
 */
public class AuthenticationFilter {

  private final AuthService auth;
  private final OrganizationAuthenticator organizations;
  private final CurrentUser current;

  AuthenticationFilter(
      AuthService auth, OrganizationAuthenticator organizations, CurrentUser current) {
    this.auth = auth;
    this.organizations = organizations;
    this.current = current;
  }

  // nonBlocking: Hibernate Reactive must run on the event loop, also before blocking endpoints.
  @ServerRequestFilter(priority = Priorities.AUTHENTICATION, nonBlocking = true)
  public Uni<Void> authenticate(ContainerRequestContext request) {
    String path = request.getUriInfo().getPath();
    String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
    if (header == null || header.isBlank() || path.startsWith("/api-token-auth")) {
      return Uni.createFrom().voidItem();
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
    return auth.authenticate(header).invoke(current::set).replaceWithVoid();
  }
}
