package org.substra.node.api.auth;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.NewCookie;
import java.time.Instant;
import java.util.Date;
import org.substra.node.api.config.ApiConfig;

/**
 * The cookies of the web frontend's login (REST spec §2.6), whichever way the user logged in
 * ({@code /me/login/} or OIDC): the access token split so that the frontend's script can read who
 * is logged in (the {@code header.payload} cookie) but never the whole token: its {@code signature}
 * and the refresh token stay in httpOnly cookies.
 */
@ApplicationScoped
public class JwtCookies {

  public static final String HEADER_PAYLOAD = "header.payload";
  public static final String SIGNATURE = "signature";
  public static final String REFRESH = "refresh";

  private final ApiConfig config;

  JwtCookies(ApiConfig config) {
    this.config = config;
  }

  /** The three cookies of a login or refresh. */
  public NewCookie[] of(JwtLogin.Issued issued) {
    int dot = issued.access().lastIndexOf('.');
    return new NewCookie[] {
      cookie(HEADER_PAYLOAD, issued.access().substring(0, dot), "/", issued.accessExpires(), false),
      cookie(SIGNATURE, issued.access().substring(dot + 1), "/", issued.accessExpires(), true),
      cookie(REFRESH, issued.refresh(), "/", issued.refreshExpires(), true)
    };
  }

  /** Deletions of the three cookies, for a logout. */
  public NewCookie[] expired() {
    return new NewCookie[] {
      expired(HEADER_PAYLOAD, "/", false),
      expired(SIGNATURE, "/", true),
      expired(REFRESH, "/", true)
    };
  }

  /** A cookie of this API's domain and security settings, kept until {@code expires}. */
  public NewCookie cookie(
      String name, String value, String path, Instant expires, boolean httpOnly) {
    long maxAge = Math.max(0, expires.getEpochSecond() - Instant.now().getEpochSecond());
    return base(name, value, path, httpOnly)
        .maxAge((int) Math.min(Integer.MAX_VALUE, maxAge))
        .expiry(Date.from(expires))
        .build();
  }

  /** The deletion of a cookie that {@link #cookie} set. */
  public NewCookie expired(String name, String path, boolean httpOnly) {
    return base(name, "", path, httpOnly).maxAge(0).expiry(Date.from(Instant.EPOCH)).build();
  }

  private NewCookie.Builder base(String name, String value, String path, boolean httpOnly) {
    return new NewCookie.Builder(name)
        .value(value)
        .path(path)
        .domain(config.commonHostDomain().orElse(null))
        .secure(config.jwt().secureCookies())
        .httpOnly(httpOnly)
        // Lax: a cross-site page cannot make the browser POST the refresh cookie, while the
        // top-level navigation back from an OIDC provider still carries the login's cookies.
        .sameSite(NewCookie.SameSite.LAX);
  }
}
