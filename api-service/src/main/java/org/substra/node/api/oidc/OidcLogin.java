package org.substra.node.api.oidc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.NewCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.hibernate.JDBCException;
import org.substra.node.api.auth.JwtCookies;
import org.substra.node.api.auth.JwtLogin;
import org.substra.node.api.config.ApiConfig;
import org.substra.node.api.error.ApiException;

/**
 * The web frontend's login through the OpenID provider (REST spec §2.7): the authorization code
 * flow with PKCE, ending with the cookies of the JWT login (§2.6) for the user the provider vouched
 * for, created on its first login. Nothing is stored unless the whole login checks out.
 */
@ApplicationScoped
public class OidcLogin {

  /** Where the browser goes next, and the cookies it gets on the way. */
  public record Redirect(URI location, List<NewCookie> cookies) {}

  private final ApiConfig config;
  private final OidcProvider provider;
  private final OidcFlow flow;
  private final OidcUsers users;
  private final JwtLogin jwt;
  private final JwtCookies cookies;
  private final ObjectMapper json;

  OidcLogin(
      ApiConfig config,
      OidcProvider provider,
      OidcFlow flow,
      OidcUsers users,
      JwtLogin jwt,
      JwtCookies cookies,
      ObjectMapper json) {
    this.config = config;
    this.provider = provider;
    this.flow = flow;
    this.users = users;
    this.jwt = jwt;
    this.cookies = cookies;
    this.json = json;
  }

  /** The provider's login page for a new login, which ends at {@code next} when acceptable. */
  public Uni<Redirect> start(String next) {
    requireEnabled();
    OidcFlow.Pending pending = flow.begin(next);
    return provider
        .endpoints()
        .map(
            endpoints -> {
              if (endpoints.authorization() == null) {
                throw ApiException.detail(
                    502, "The OIDC provider publishes no authorization endpoint.");
              }
              Map<String, String> query = new LinkedHashMap<>();
              query.put("response_type", "code");
              query.put("client_id", config.oidc().clientId().orElse(""));
              query.put("redirect_uri", redirectUri());
              query.put("scope", config.oidc().scopes());
              query.put("state", pending.state());
              query.put("nonce", pending.nonce());
              query.put("code_challenge", pending.challenge());
              query.put("code_challenge_method", "S256");
              String authorization = endpoints.authorization().toString();
              URI location =
                  URI.create(
                      authorization
                          + (authorization.contains("?") ? "&" : "?")
                          + query.entrySet().stream()
                              .map(entry -> encode(entry.getKey()) + "=" + encode(entry.getValue()))
                              .collect(Collectors.joining("&")));
              return new Redirect(location, List.of(flow.cookie(pending)));
            });
  }

  /**
   * The end of a login: the provider's answer checked against the browser's login, the code
   * exchanged, the id token verified, the user found or created, the JWT cookies set.
   */
  public Uni<Redirect> complete(String code, String state, String error, String flowCookie) {
    requireEnabled();
    if (error != null && !error.isEmpty()) {
      // Only the OAuth error code is repeated: the description is text anyone can put in a link.
      String reason = error.matches("[a-z_]{1,64}") ? error : "error";
      throw ApiException.detail(403, "The OIDC provider refused the login (" + reason + ").");
    }
    OidcFlow.Pending pending = flow.resume(flowCookie, state);
    if (code == null || code.isEmpty()) {
      throw ApiException.detail(400, "The OIDC callback has no authorization code.");
    }
    return provider
        .endpoints()
        .chain(
            endpoints ->
                provider
                    .exchange(endpoints, code, pending.verifier(), redirectUri())
                    .chain(
                        tokens ->
                            verified(endpoints, tokens.idToken(), pending.nonce())
                                .chain(claims -> identity(endpoints, tokens, claims))))
        .chain(
            who ->
                users
                    .recordLogin(who, now())
                    // Two first logins of one person at once: the second finds the first's user.
                    .onFailure(OidcLogin::isUniqueViolation)
                    .recoverWithUni(() -> users.recordLogin(who, now())))
        .map(
            userId -> {
              List<NewCookie> set = new ArrayList<>(List.of(cookies.of(jwt.issue(userId))));
              set.add(flow.cleared());
              return new Redirect(destination(pending.next()), set);
            });
  }

  static boolean isUniqueViolation(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      String state =
          cause instanceof JDBCException jdbc
              ? jdbc.getSQLState()
              : cause instanceof PgException pg ? pg.getSqlState() : null;
      if ("23505".equals(state)) {
        return true;
      }
    }
    return false;
  }

  private Uni<Map<String, Object>> verified(
      OidcProvider.Endpoints endpoints, String idToken, String nonce) {
    IdToken token = IdToken.parse(idToken, json);
    String algorithm = config.oidc().signAlgo();
    // The configured algorithm, never the one the token claims: no "none", no HS256 signed with
    // the provider's public key.
    if (!algorithm.equals(token.algorithm())) {
      throw IdToken.invalid("it is signed with " + token.algorithm() + ", not " + algorithm);
    }
    Uni<Boolean> signed =
        IdToken.isRsa(algorithm)
            ? provider
                .signingKeys(endpoints, token.keyId())
                .map(keys -> keys.stream().anyMatch(key -> token.signedBy(algorithm, key)))
            : Uni.createFrom()
                .item(token.signedWith(algorithm, config.oidc().clientSecret().orElse("")));
    String clientId = config.oidc().clientId().orElse("");
    return signed.map(
        ok -> {
          if (!ok) {
            throw IdToken.invalid("its signature does not verify");
          }
          return token.verifiedClaims(endpoints.issuer(), clientId, nonce, Instant.now());
        });
  }

  /**
   * Who logged in: the id token's issuer and subject, and the email from userinfo (the reference's
   * source) or else from the id token.
   */
  private Uni<OidcUsers.ProviderIdentity> identity(
      OidcProvider.Endpoints endpoints, OidcProvider.Tokens tokens, Map<String, Object> claims) {
    String subject = (String) claims.get("sub");
    String issuer =
        claims.get("iss") instanceof String iss
            ? iss
            : endpoints.issuer() == null ? "" : endpoints.issuer();
    if (subject.length() > 255 || issuer.length() > 255) {
      throw IdToken.invalid("its issuer or subject is too long");
    }
    Object claimed = claims.get("email");
    if (endpoints.userinfo() == null || tokens.accessToken() == null) {
      return Uni.createFrom()
          .item(
              new OidcUsers.ProviderIdentity(
                  issuer, subject, email(claimed), tokens.refreshToken()));
    }
    return provider
        .userinfo(endpoints, tokens.accessToken())
        .map(
            info -> {
              if (info.has("sub") && !subject.equals(info.path("sub").asText())) {
                throw ApiException.detail(
                    401, "The OIDC provider's userinfo is about another user than its id token.");
              }
              JsonNode email = info.path("email");
              return new OidcUsers.ProviderIdentity(
                  issuer,
                  subject,
                  email(email.isTextual() ? email.asText() : claimed),
                  tokens.refreshToken());
            });
  }

  private static String email(Object email) {
    if (!(email instanceof String address)
        || address.isBlank()
        || address.length() > 254
        || !address.contains("@")) {
      throw ApiException.detail(
          403, "The OIDC provider gave no email address for this user (scope \"email\").");
    }
    return address.trim();
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private String redirectUri() {
    return IdToken.trimSlash(config.host()) + "/oidc/callback/";
  }

  private URI destination(String next) {
    if (next != null) {
      // A path is this API's: resolved against api.host, not the address a proxy forwarded to.
      return URI.create(next.startsWith("/") ? IdToken.trimSlash(config.host()) + next : next);
    }
    return URI.create(
        config.oidc().loginRedirectUrl().orElseGet(() -> IdToken.trimSlash(config.host()) + "/"));
  }

  private void requireEnabled() {
    if (!config.oidc().enabled()) {
      throw ApiException.detail(404, "Not found.");
    }
  }

  private static OffsetDateTime now() {
    return OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
  }
}
