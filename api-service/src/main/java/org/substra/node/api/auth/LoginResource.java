package org.substra.node.api.auth;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;
import org.jboss.resteasy.reactive.RestForm;
import org.substra.node.api.config.ApiConfig;
import org.substra.node.api.error.ApiException;

/** {@code POST /api-token-auth/}: username and password for a token (REST spec §2.2). */
@Path("/api-token-auth/")
@Produces(MediaType.APPLICATION_JSON)
public class LoginResource {

  private final AuthService auth;
  private final LoginThrottle throttle;
  private final ApiConfig config;

  LoginResource(AuthService auth, LoginThrottle throttle, ApiConfig config) {
    this.auth = auth;
    this.throttle = throttle;
    this.config = config;
  }

  /** The SDK's form. */
  @POST
  @Consumes({MediaType.APPLICATION_FORM_URLENCODED, MediaType.MULTIPART_FORM_DATA})
  public Uni<Map<String, Object>> form(
      @RestForm String username, @RestForm String password, @Context HttpServerRequest request) {
    return login(username, password, request);
  }

  public record Credentials(String username, String password) {}

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public Uni<Map<String, Object>> json(
      Credentials credentials, @Context HttpServerRequest request) {
    return credentials == null
        ? login(null, null, request)
        : login(credentials.username(), credentials.password(), request);
  }

  private Uni<Map<String, Object>> login(
      String username, String password, HttpServerRequest request) {
    throttle.attempt(request.remoteAddress().hostAddress());
    if (!config.tokens().implicitLoginEnabled()) {
      throw new ApiException(
          403,
          Map.of(
              "detail", "Implicit login is disabled on this server",
              "substra_identifier", "implicit_login_disabled"),
          Map.of());
    }
    if (username == null || username.isBlank()) {
      throw ApiException.field(400, "username", "This field is required.");
    }
    if (password == null || password.isBlank()) {
      throw ApiException.field(400, "password", "This field is required.");
    }
    return auth.login(username, password).map(TokenViews::created);
  }
}
