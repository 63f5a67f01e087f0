package org.substra.node.api.oidc;

import io.quarkus.elytron.security.common.BcryptUtil;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.SecureRandom;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.Locale;
import java.util.UUID;
import org.substra.node.api.config.ApiConfig;
import org.substra.node.api.user.User;
import org.substra.node.api.user.UserRepository;

/**
 * The users of OIDC logins: created at their first login (REST spec §2.7), found again by their
 * provider identity afterwards, with the start of their login validity window.
 */
@ApplicationScoped
public class OidcUsers {

  /** What the provider vouched for in one login. */
  public record ProviderIdentity(
      String issuer, String subject, String email, String refreshToken) {}

  // External users have no usable password: the hash of a secret nobody keeps. (A hash per user
  // would cost a bcrypt round on the event loop at each first login for nothing.)
  private static final String NO_PASSWORD_HASH =
      BcryptUtil.bcryptHash(UUID.randomUUID() + "-" + UUID.randomUUID());
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int MAX_USERNAME = 150;

  private final UserRepository users;
  private final OidcIdentityRepository identities;
  private final ApiConfig.Oidc config;

  OidcUsers(UserRepository users, OidcIdentityRepository identities, ApiConfig config) {
    this.users = users;
    this.identities = identities;
    this.config = config.oidc();
  }

  /**
   * The id of the user of this identity, created on a first login (role USER, the default channel
   * or none: awaiting approval); the login time starts a new validity window.
   */
  @WithTransaction
  public Uni<Long> recordLogin(ProviderIdentity who, OffsetDateTime now) {
    String refreshToken = config.users().useRefreshToken() ? who.refreshToken() : null;
    return identities
        .findBySubject(who.issuer(), who.subject())
        .chain(
            known -> {
              if (known != null) {
                known.email = who.email();
                known.lastLoginAt = now;
                known.refreshToken = refreshToken;
                return Uni.createFrom().item(known.userId);
              }
              return freeUsername(username(who.email(), config.users().appendDomain()), 1)
                  .chain(
                      username -> {
                        User user = new User();
                        user.username = username;
                        user.passwordHash = NO_PASSWORD_HASH;
                        user.role = "USER";
                        user.channel = config.users().defaultChannel().orElse(null);
                        user.externalUser = true;
                        return users.persistAndFlush(user);
                      })
                  .chain(
                      user -> {
                        OidcIdentity identity = new OidcIdentity();
                        identity.userId = user.id;
                        identity.issuer = who.issuer();
                        identity.subject = who.subject();
                        identity.email = who.email();
                        identity.lastLoginAt = now;
                        identity.refreshToken = refreshToken;
                        return identities.persist(identity).replaceWith(user.id);
                      });
            });
  }

  /** The provider identity of a user; null for users who log in with a password. */
  @WithSession
  public Uni<OidcIdentity> identityOf(long userId) {
    return identities.findById(userId);
  }

  /** A new validity window after the provider confirmed the user; a null token keeps the old. */
  @WithTransaction
  public Uni<Void> extend(long userId, OffsetDateTime now, String refreshToken) {
    return identities
        .findById(userId)
        .invoke(
            identity -> {
              if (identity != null) {
                identity.lastLoginAt = now;
                if (refreshToken != null) {
                  identity.refreshToken = refreshToken;
                }
              }
            })
        .replaceWithVoid();
  }

  /**
   * The username an email gives: its local part ({@code jane.doe@example.com} → {@code jane.doe}),
   * or with {@code append-domain} the whole address with {@code _} for {@code @} ({@code
   * jane.doe_example.com}); lower case, characters other than letters, digits and {@code ._+-}
   * replaced by {@code _}.
   */
  static String username(String email, boolean appendDomain) {
    String address = email.trim().toLowerCase(Locale.ROOT);
    int at = address.lastIndexOf('@');
    String name = at < 0 || appendDomain ? address.replace('@', '_') : address.substring(0, at);
    name = name.replaceAll("[^a-z0-9._+-]", "_");
    if (name.isEmpty()) {
      name = "user";
    }
    // Room for the suffix that tells apart two people whose emails give the same name.
    return name.length() > MAX_USERNAME - 8 ? name.substring(0, MAX_USERNAME - 8) : name;
  }

  /**
   * {@code base}, or {@code base_2} ... {@code base_9} when taken (never someone else's user: a
   * provider login must not open a local account of the same name), then a random suffix.
   */
  private Uni<String> freeUsername(String base, int attempt) {
    String candidate;
    if (attempt == 1) {
      candidate = base;
    } else if (attempt < 10) {
      candidate = base + "_" + attempt;
    } else {
      byte[] suffix = new byte[3];
      RANDOM.nextBytes(suffix);
      return Uni.createFrom().item(base + "_" + HexFormat.of().formatHex(suffix));
    }
    return users
        .findByUsername(candidate)
        .chain(
            taken ->
                taken == null ? Uni.createFrom().item(candidate) : freeUsername(base, attempt + 1));
  }
}
