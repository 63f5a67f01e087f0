package org.substra.node.api.auth;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.substra.node.api.config.ApiConfig;
import org.substra.node.api.error.ApiException;
import org.substra.node.api.user.User;
import org.substra.node.api.user.UserRepository;

/**
 * The web frontend's JWT login (REST spec §2.6): an access token split over the {@code
 * header.payload} and {@code signature} cookies, and a refresh token that rotates on each use.
 * Access tokens are stateless; only used refresh tokens are remembered (blacklisted).
 */
@ApplicationScoped
public class JwtLogin {

  static final String ACCESS = "access";
  static final String REFRESH = "refresh";

  /** A new access and refresh token pair. */
  public record Issued(
      Map<String, Object> accessClaims,
      String access,
      Instant accessExpires,
      String refresh,
      Instant refreshExpires) {}

  private final AuthService auth;
  private final UserRepository users;
  private final RefreshBlacklist blacklist;
  private final JwtCodec codec;
  private final ApiConfig config;

  JwtLogin(
      AuthService auth,
      UserRepository users,
      RefreshBlacklist blacklist,
      JwtCodec codec,
      ApiConfig config) {
    this.auth = auth;
    this.users = users;
    this.blacklist = blacklist;
    this.codec = codec;
    this.config = config;
  }

  public Uni<Issued> login(String username, String password) {
    return auth.checkCredentials(username, password)
        .map(
            user -> {
              if (user == null) {
                throw ApiException.detail(401, "wrong username password");
              }
              return issue(user.id);
            });
  }

  /** A new pair for a valid refresh token, which is blacklisted so that it works only once. */
  @WithSession
  public Uni<Issued> refresh(String refreshToken) {
    Instant now = Instant.now();
    Map<String, Object> claims = claims(refreshToken, REFRESH, now);
    long userId = userId(claims);
    return user(userId)
        .chain(
            user -> {
              if (user == null) {
                throw invalid("User not found");
              }
              return blacklist.add(jti(claims), userId, expiry(claims));
            })
        .chain(
            added -> {
              if (!added) {
                throw invalid("Token is blacklisted");
              }
              return blacklist.purgeExpired(OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
            })
        .map(purged -> issue(userId));
  }

  /** Blacklists the refresh token of a logout; one that is no longer valid needs nothing. */
  @WithSession
  public Uni<Void> logout(String refreshToken) {
    Map<String, Object> claims;
    try {
      claims = claims(refreshToken, REFRESH, Instant.now());
    } catch (ApiException invalid) {
      return Uni.createFrom().voidItem();
    }
    return user(userId(claims))
        .chain(
            user ->
                user == null
                    ? Uni.createFrom().voidItem()
                    : blacklist.add(jti(claims), user.id, expiry(claims)).replaceWithVoid());
  }

  /** The user of {@code Authorization: JWT <header.payload>} with its {@code signature} cookie. */
  @WithSession
  public Uni<AuthenticatedUser> authenticate(String headerPayload, String signature) {
    if (signature == null || signature.isEmpty()) {
      throw invalid("Authentication credentials were not provided.");
    }
    Map<String, Object> claims = claims(headerPayload + "." + signature, ACCESS, Instant.now());
    return user(userId(claims))
        .map(
            user -> {
              if (user == null) {
                throw invalid("User not found");
              }
              return AuthenticatedUser.of(user);
            });
  }

  private Uni<User> user(long id) {
    return users.findById(id);
  }

  /** A new pair for a user who proved who they are some other way (an OIDC login). */
  public Issued issue(long userId) {
    Instant now = Instant.now();
    Instant accessExpires = now.plus(config.jwt().accessLifetime());
    Instant refreshExpires = now.plus(config.jwt().refreshLifetime());
    Map<String, Object> access = claimsOf(ACCESS, userId, now, accessExpires);
    Map<String, Object> refresh = claimsOf(REFRESH, userId, now, refreshExpires);
    return new Issued(
        access, codec.sign(access), accessExpires, codec.sign(refresh), refreshExpires);
  }

  private Map<String, Object> claimsOf(String type, long userId, Instant now, Instant expires) {
    // The claims, and their names, of the reference (djangorestframework-simplejwt), with its
    // AUDIENCE and ISSUER: this node, so that no other node accepts the token.
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("token_type", type);
    claims.put("exp", expires.getEpochSecond());
    claims.put("iat", now.getEpochSecond());
    claims.put("jti", UUID.randomUUID().toString().replace("-", ""));
    claims.put("user_id", userId);
    claims.putAll(codec.node());
    return claims;
  }

  private Map<String, Object> claims(String token, String type, Instant now) {
    Map<String, Object> claims;
    try {
      claims = codec.verify(token, now.getEpochSecond());
    } catch (JwtCodec.InvalidJwtException e) {
      throw invalid(e.getMessage());
    }
    if (!type.equals(claims.get("token_type"))
        || !(claims.get("user_id") instanceof Number)
        || !(claims.get("jti") instanceof String jti)
        || jti.isEmpty()
        || jti.length() > 64) {
      throw invalid("Token has wrong type");
    }
    return claims;
  }

  private static long userId(Map<String, Object> claims) {
    return ((Number) claims.get("user_id")).longValue();
  }

  private static String jti(Map<String, Object> claims) {
    return (String) claims.get("jti");
  }

  private static OffsetDateTime expiry(Map<String, Object> claims) {
    return OffsetDateTime.ofInstant(
        Instant.ofEpochSecond(((Number) claims.get("exp")).longValue()), ZoneOffset.UTC);
  }

  /** 401 in the reference's shape, with the JWT challenge. */
  static ApiException invalid(String detail) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("detail", detail);
    body.put("code", "token_not_valid");
    return new ApiException(401, body, Map.of("WWW-Authenticate", "JWT realm=\"api\""));
  }
}
