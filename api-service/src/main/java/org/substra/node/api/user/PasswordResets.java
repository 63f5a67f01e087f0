package org.substra.node.api.user;

import io.quarkus.elytron.security.common.BcryptUtil;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import org.substra.node.api.auth.AuthenticatedUser;
import org.substra.node.api.config.ApiConfig;
import org.substra.node.api.error.ApiException;
import org.substra.node.api.registration.RequestJson;

/**
 * Password resets (REST spec §2.9): an admin gets a token for a user of the channel and hands it to
 * them; with it, the user sets a new password without being logged in. A token works once, until
 * {@code api.tokens.reset-password-lifetime}, and only the latest one of a user works.
 */
@ApplicationScoped
public class PasswordResets {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final UserAdministration administration;
  private final UserRepository users;
  private final PasswordResetRepository resets;
  private final ApiConfig config;

  PasswordResets(
      UserAdministration administration,
      UserRepository users,
      PasswordResetRepository resets,
      ApiConfig config) {
    this.administration = administration;
    this.users = users;
    this.resets = resets;
    this.config = config;
  }

  /** A new reset token for a user of the admin's channel; it replaces the user's previous one. */
  @WithTransaction
  public Uni<Map<String, Object>> create(AuthenticatedUser caller, String username) {
    UserAdministration.requireAdmin(caller);
    byte[] secret = new byte[32];
    RANDOM.nextBytes(secret);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    OffsetDateTime expires = now().plus(config.tokens().resetPasswordLifetime());
    return administration
        .inChannel(caller, username)
        .chain(user -> resets.findById(user.id).map(found -> found != null ? found : fresh(user)))
        .chain(
            reset -> {
              reset.tokenHash = hash(token);
              reset.expiresAt = expires;
              return resets.persist(reset);
            })
        .map(saved -> Map.of("reset_password_token", token));
  }

  /** Whether {@code token} would set the user's password now. */
  @WithSession
  public Uni<Boolean> verify(String username, String token) {
    if (token == null || token.isEmpty()) {
      return Uni.createFrom().item(false);
    }
    return users
        .findByUsername(username)
        .chain(
            user ->
                user == null
                    ? Uni.createFrom().item(false)
                    : resets.isValid(user.id, hash(token), now()));
  }

  /** Sets the password of the token's user and uses the token up; the user's view. */
  @WithTransaction
  public Uni<Map<String, Object>> setPassword(String username, String body) {
    RequestJson request = RequestJson.parse(body, "the request body");
    String token = request.text("token", "");
    String password = request.text("password", "");
    OffsetDateTime now = now();
    return users
        .findByUsername(username)
        .chain(
            user -> {
              if (user == null || token.isEmpty()) {
                throw invalidToken();
              }
              return resets
                  .isValid(user.id, hash(token), now)
                  .chain(
                      valid -> {
                        if (!valid) {
                          throw invalidToken();
                        }
                        // Checked before the token is used up, so that a refused password can be
                        // retried with the same token.
                        UserAdministration.requirePassword(password);
                        return resets.consume(user.id, hash(token), now);
                      })
                  .map(
                      consumed -> {
                        if (!consumed) {
                          throw invalidToken();
                        }
                        user.passwordHash = BcryptUtil.bcryptHash(password);
                        return UserAdministration.view(user);
                      });
            });
  }

  static ApiException invalidToken() {
    return ApiException.detail(401, "Token not valid.");
  }

  private static PasswordReset fresh(User user) {
    PasswordReset reset = new PasswordReset();
    reset.userId = user.id;
    return reset;
  }

  /** Tokens are 256 random bits, so a plain SHA-256 is enough to make a stolen table useless. */
  private static String hash(String token) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }

  private static OffsetDateTime now() {
    return OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
  }
}
