package org.substra.node.api.auth;

import io.quarkus.elytron.security.common.BcryptUtil;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.SecureRandom;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.substra.node.api.config.ApiConfig;
import org.substra.node.api.error.ApiException;
import org.substra.node.api.input.ControlCharacters;
import org.substra.node.api.user.User;
import org.substra.node.api.user.UserRepository;

/** Logins, token checks and revocations (REST spec §2.1–§2.5). */
@ApplicationScoped
public class AuthService {

  private static final SecureRandom RANDOM = new SecureRandom();
  // Compared against when the user does not exist, so both paths cost one bcrypt check.
  private static final String NO_USER_HASH = BcryptUtil.bcryptHash(UUID.randomUUID().toString());

  private final UserRepository users;
  private final TokenRepository tokens;
  private final ApiConfig config;

  AuthService(UserRepository users, TokenRepository tokens, ApiConfig config) {
    this.users = users;
    this.tokens = tokens;
    this.config = config;
  }

  /** A new implicit token for valid credentials; the user's expired ones are dropped first. */
  @WithTransaction
  public Uni<Token> login(String username, String password) {
    return checkCredentials(username, password)
        .flatMap(
            user -> {
              if (user == null) {
                throw ApiException.field(
                    400, "non_field_errors", "Unable to log in with provided credentials.");
              }
              OffsetDateTime now = now();
              return tokens
                  .deleteExpiredImplicit(user.id, now)
                  .flatMap(
                      deleted ->
                          create(
                              user,
                              Token.Kind.IMPLICIT,
                              null,
                              now,
                              now.plus(config.tokens().lifetime())));
            });
  }

  /** The user of these credentials, or null. */
  @WithSession
  public Uni<User> checkCredentials(String username, String password) {
    // No user is named with a control character, and PostgreSQL refuses U+0000 in a query: such a
    // name is simply unknown (the same answer and the same bcrypt time as any unknown name).
    Uni<User> found =
        ControlCharacters.holds(username)
            ? Uni.createFrom().nullItem()
            : users.findByUsername(username);
    return found.map(
        user -> {
          String hash = user == null ? NO_USER_HASH : user.passwordHash;
          return BcryptUtil.matches(password, hash) && user != null ? user : null;
        });
  }

  /** An API token the user asked for (no expiry unless given). */
  @WithTransaction
  public Uni<Token> createApiToken(AuthenticatedUser caller, String note, OffsetDateTime expires) {
    return users
        .findById(caller.id())
        .flatMap(user -> create(user, Token.Kind.API, note, now(), expires));
  }

  private Uni<Token> create(
      User user, Token.Kind kind, String note, OffsetDateTime now, OffsetDateTime expires) {
    Token token = new Token();
    token.id = UUID.randomUUID();
    byte[] key = new byte[20];
    RANDOM.nextBytes(key);
    token.key = HexFormat.of().formatHex(key);
    token.user = user;
    token.kind = kind;
    token.note = note;
    token.createdAt = now;
    token.expiresAt = expires;
    return tokens.persist(token);
  }

  /**
   * The user of an {@code Authorization} header, with the reference's 401 texts (spec §2.1); null
   * when the header is not of the Token scheme (another mechanism may take it).
   */
  @WithSession
  public Uni<AuthenticatedUser> authenticate(String header) {
    String[] parts = header.trim().split(" +");
    if (!parts[0].equalsIgnoreCase("token") && !parts[0].equalsIgnoreCase("bearer")) {
      return Uni.createFrom().nullItem();
    }
    if (parts.length == 1) {
      throw ApiException.unauthenticated("Invalid token header. No credentials provided.");
    }
    if (parts.length > 2) {
      throw ApiException.unauthenticated(
          "Invalid token header. Token string should not contain spaces.");
    }
    return tokens
        .findByKey(parts[1])
        .map(
            token -> {
              if (token == null) {
                throw ApiException.unauthenticated("Invalid token.");
              }
              if (token.expired(now())) {
                throw ApiException.unauthenticated("The token is expired");
              }
              User user = token.user;
              return AuthenticatedUser.of(user);
            });
  }

  /** Deletes one of the caller's tokens; false when it has none of that id. */
  @WithTransaction
  public Uni<Boolean> revoke(AuthenticatedUser caller, String id) {
    UUID tokenId;
    try {
      tokenId = UUID.fromString(id);
    } catch (IllegalArgumentException | NullPointerException e) {
      return Uni.createFrom().item(false);
    }
    return tokens.deleteOwned(tokenId, caller.id()).map(deleted -> deleted > 0);
  }

  @WithSession
  public Uni<List<Token>> tokensOf(AuthenticatedUser caller, Token.Kind kind) {
    return tokens.ofUser(caller.id(), kind);
  }

  private static OffsetDateTime now() {
    return OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
  }
}
