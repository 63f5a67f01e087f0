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
import jakarta.ws.rs.core.NewCookie;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestResponse;
import org.substra.node.api.config.ApiConfig;
import org.substra.node.api.error.ApiException;

/**
 * {@code /me/login/}, {@code /me/refresh/}, {@code /me/logout/}: the web frontend's JWT cookie
 * login (REST spec §2.6). The access token is split so that the frontend's script can read who is
 * logged in (the {@code header.payload} cookie) but never the whole token: its {@code signature}
 * and the refresh token stay in httpOnly cookies.
 */
@Path("/me/")
@Produces(MediaType.APPLICATION_JSON)
public class JwtLoginResource {

  static final String HEADER_PAYLOAD = "header.payload";
  static final String SIGNATURE = "signature";
  static final String REFRESH = "refresh";

  private final JwtLogin jwt;
  private final LoginThrottle throttle;
  private final ApiConfig config;

  JwtLoginResource(JwtLogin jwt, LoginThrottle throttle, ApiConfig config) {
    this.jwt = jwt;
    this.throttle = throttle;
    this.config = config;
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
                .cookie(
                    expired(HEADER_PAYLOAD, false),
                    expired(SIGNATURE, true),
                    expired(REFRESH, true))
                .build());
  }

  private RestResponse<Map<String, Object>> withCookies(JwtLogin.Issued issued) {
    int dot = issued.access().lastIndexOf('.');
    return RestResponse.ResponseBuilder.ok(issued.accessClaims())
        .cookie(
            cookie(
                HEADER_PAYLOAD, issued.access().substring(0, dot), issued.accessExpires(), false),
            cookie(SIGNATURE, issued.access().substring(dot + 1), issued.accessExpires(), true),
            cookie(REFRESH, issued.refresh(), issued.refreshExpires(), true))
        .build();
  }

  private NewCookie cookie(String name, String value, Instant expires, boolean httpOnly) {
    long maxAge = Math.max(0, expires.getEpochSecond() - Instant.now().getEpochSecond());
    return base(name, value, httpOnly)
        .maxAge((int) Math.min(Integer.MAX_VALUE, maxAge))
        .expiry(Date.from(expires))
        .build();
  }

  private NewCookie expired(String name, boolean httpOnly) {
    return base(name, "", httpOnly).maxAge(0).expiry(Date.from(Instant.EPOCH)).build();
  }

  private NewCookie.Builder base(String name, String value, boolean httpOnly) {
    return new NewCookie.Builder(name)
        .value(value)
        .path("/")
        .domain(config.commonHostDomain().orElse(null))
        .secure(config.jwt().secureCookies())
        .httpOnly(httpOnly)
        // Lax: a cross-site page cannot make the browser POST the refresh cookie.
        .sameSite(NewCookie.SameSite.LAX);
  }
}
