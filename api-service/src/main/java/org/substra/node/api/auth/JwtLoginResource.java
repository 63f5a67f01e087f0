package org.substra.node.api.auth;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestResponse;
import org.substra.node.api.error.ApiException;

/**
 * {@code /me/login/}, {@code /me/refresh/}, {@code /me/logout/}: the web frontend's JWT cookie
 * login (REST spec §2.6), its cookies as {@link JwtCookies} makes them.
 */
@Path("/me/")
@Produces(MediaType.APPLICATION_JSON)
public class JwtLoginResource {

  static final String REFRESH = JwtCookies.REFRESH;

  private final JwtLogin jwt;
  private final LoginThrottle throttle;
  private final JwtCookies cookies;

  JwtLoginResource(JwtLogin jwt, LoginThrottle throttle, JwtCookies cookies) {
    this.jwt = jwt;
    this.throttle = throttle;
    this.cookies = cookies;
  }

  @POST
  @Path("login/")
  @Consumes({MediaType.APPLICATION_FORM_URLENCODED, MediaType.MULTIPART_FORM_DATA})
  public Uni<RestResponse<Map<String, Object>>> form(
      @RestForm String username, @RestForm String password, @Context HttpServerRequest request) {
    return login(username, password, request);
  }

  @POST
  @Path("login/")
  @Consumes(MediaType.APPLICATION_JSON)
  public Uni<RestResponse<Map<String, Object>>> json(
      LoginResource.Credentials credentials, @Context HttpServerRequest request) {
    return credentials == null
        ? login(null, null, request)
        : login(credentials.username(), credentials.password(), request);
  }

  private Uni<RestResponse<Map<String, Object>>> login(
      String username, String password, HttpServerRequest request) {
    throttle.attempt(request.remoteAddress().hostAddress());
    if (username == null || username.isBlank()) {
      throw ApiException.field(400, "username", "This field is required.");
    }
    if (password == null || password.isBlank()) {
      throw ApiException.field(400, "password", "This field is required.");
    }
    return jwt.login(username, password).map(this::withCookies);
  }

  @POST
  @Path("refresh/")
  @Consumes(MediaType.WILDCARD)
  public Uni<RestResponse<Map<String, Object>>> refresh(@CookieParam(REFRESH) String refresh) {
    if (refresh == null || refresh.isEmpty()) {
      throw ApiException.field(400, REFRESH, "This field is required.");
    }
    return jwt.refresh(refresh).map(this::withCookies);
  }

  @GET
  @Path("logout/")
  public Uni<RestResponse<Map<String, Object>>> logout(@CookieParam(REFRESH) String refresh) {
    Uni<Void> blacklisted =
        refresh == null || refresh.isEmpty() ? Uni.createFrom().voidItem() : jwt.logout(refresh);
    return blacklisted.map(
        done ->
            RestResponse.ResponseBuilder.<Map<String, Object>>ok(Map.of())
                .cookie(cookies.expired())
                .build());
  }

  private RestResponse<Map<String, Object>> withCookies(JwtLogin.Issued issued) {
    return RestResponse.ResponseBuilder.ok(issued.accessClaims())
        .cookie(cookies.of(issued))
        .build();
  }
}
