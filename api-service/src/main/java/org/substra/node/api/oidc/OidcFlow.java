package org.substra.node.api.oidc;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.NewCookie;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.substra.node.api.auth.JwtCodec;
import org.substra.node.api.auth.JwtCookies;
import org.substra.node.api.config.ApiConfig;
import org.substra.node.api.error.ApiException;

/**
 * The state of one login between {@code /oidc/authenticate/} and {@code /oidc/callback/}: its
 * {@code state}, {@code nonce}, PKCE verifier and {@code next}, kept in the browser as a
 * short-lived httpOnly cookie signed with {@code api.jwt.secret}, so that any replica of the API
 * can finish a login another one started.
 */
@ApplicationScoped
public class OidcFlow {

  static final String COOKIE = "oidc_flow";
  static final String PATH = "/oidc/";
  // The token type sets flow tokens apart from access and refresh tokens signed with the same key.
  private static final String TOKEN_TYPE = "oidc_flow";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

  /** One login in progress; {@code next} is null when the login ends at the default place. */
  public record Pending(String state, String nonce, String verifier, String next) {

    /** The PKCE S256 challenge of the verifier (RFC 7636 §4.2). */
    String challenge() {
      try {
        byte[] digest =
            MessageDigest.getInstance("SHA-256")
                .digest(verifier.getBytes(StandardCharsets.US_ASCII));
        return ENCODER.encodeToString(digest);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("SHA-256 unavailable", e);
      }
    }
  }

  private final JwtCodec codec;
  private final JwtCookies cookies;
  private final ApiConfig config;

  OidcFlow(JwtCodec codec, JwtCookies cookies, ApiConfig config) {
    this.codec = codec;
    this.cookies = cookies;
    this.config = config;
  }

  /** A new login going to {@code next} if it is acceptable. */
  Pending begin(String next) {
    return new Pending(random(), random(), random(), acceptedNext(next));
  }

  /** The cookie that carries the login to the callback. */
  NewCookie cookie(Pending pending) {
    Instant expires = Instant.now().plus(config.oidc().flowLifetime());
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("token_type", TOKEN_TYPE);
    claims.put("exp", expires.getEpochSecond());
    claims.put("state", pending.state());
    claims.put("nonce", pending.nonce());
    claims.put("verifier", pending.verifier());
    if (pending.next() != null) {
      claims.put("next", pending.next());
    }
    return cookies.cookie(COOKIE, codec.sign(claims), PATH, expires, true);
  }

  NewCookie cleared() {
    return cookies.expired(COOKIE, PATH, true);
  }

  /** The login the callback's {@code state} belongs to; 400 when it is not the browser's login. */
  Pending resume(String cookie, String state) {
    if (cookie == null || cookie.isEmpty()) {
      throw ApiException.detail(
          400, "No OIDC login in progress in this browser (missing or expired oidc_flow cookie).");
    }
    Map<String, Object> claims;
    try {
      claims = codec.verify(cookie, Instant.now().getEpochSecond());
    } catch (JwtCodec.InvalidJwtException e) {
      throw ApiException.detail(400, "The OIDC login in progress is invalid or has expired.");
    }
    if (!TOKEN_TYPE.equals(claims.get("token_type"))
        || !(claims.get("state") instanceof String expected)
        || !(claims.get("nonce") instanceof String nonce)
        || !(claims.get("verifier") instanceof String verifier)) {
      throw ApiException.detail(400, "The OIDC login in progress is invalid or has expired.");
    }
    if (state == null
        || !MessageDigest.isEqual(
            expected.getBytes(StandardCharsets.UTF_8), state.getBytes(StandardCharsets.UTF_8))) {
      throw ApiException.detail(400, "The OIDC state does not match this browser's login.");
    }
    return new Pending(
        expected, nonce, verifier, claims.get("next") instanceof String next ? next : null);
  }

  /**
   * {@code next} when it stays with us: a path of this host, or an http(s) address of {@code
   * api.common-host-domain} (or a subdomain) or of {@code api.host}; null otherwise, so that a link
   * cannot turn a login into a redirect to someone else's site.
   */
  String acceptedNext(String next) {
    if (next == null || next.isBlank()) {
      return null;
    }
    URI uri;
    try {
      uri = new URI(next);
    } catch (URISyntaxException e) {
      return null;
    }
    // "//host/x" is a relative reference to another host; browsers also read "\" as "/".
    if (next.contains("\\")) {
      return null;
    }
    if (uri.getScheme() == null) {
      return uri.getRawAuthority() == null && next.startsWith("/") && !next.startsWith("//")
          ? next
          : null;
    }
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    String host = uri.getHost() == null ? null : uri.getHost().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || host == null) {
      return null;
    }
    String apiHost = URI.create(config.host()).getHost();
    if (apiHost != null && host.equals(apiHost.toLowerCase(Locale.ROOT))) {
      return next;
    }
    String domain =
        config
            .commonHostDomain()
            .map(d -> d.toLowerCase(Locale.ROOT))
            .orElse("")
            .replaceFirst("^\\.", "");
    return !domain.isEmpty() && (host.equals(domain) || host.endsWith("." + domain)) ? next : null;
  }

  private static String random() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return ENCODER.encodeToString(bytes);
  }
}
