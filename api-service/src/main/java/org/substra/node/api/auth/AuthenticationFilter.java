package org.substra.node.api.auth;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Resolves the {@code Authorization: Token <key>} header (also {@code Bearer}) of every API request
 * into the {@link CurrentUser}. Bad credentials are refused even where authentication is optional
 * (REST spec §2.1); whether credentials are required is each resource's decision.
 */
public class AuthenticationFilter {

  private final AuthService auth;
  private final CurrentUser current;

  AuthenticationFilter(AuthService auth, CurrentUser current) {
    this.auth = auth;
    this.current = current;
  }

  @ServerRequestFilter(priority = Priorities.AUTHENTICATION)
  public Uni<Void> authenticate(ContainerRequestContext request) {
    String path = request.getUriInfo().getPath();
    String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
    if (header == null || header.isBlank() || path.startsWith("/api-token-auth")) {
      return Uni.createFrom().voidItem();
    }
    return auth.authenticate(header).invoke(current::set).replaceWithVoid();
  }
}
