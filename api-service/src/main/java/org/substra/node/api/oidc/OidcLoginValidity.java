package org.substra.node.api.oidc;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import org.jboss.logging.Logger;
import org.substra.node.api.auth.AuthenticatedUser;
import org.substra.node.api.config.ApiConfig;
import org.substra.node.api.error.ApiException;

/**
 * The validity window of OIDC users' logins (REST spec §2.1): a token or JWT of an OIDC user works
 * only while the provider's login is recent enough ({@code login-validity-duration}); past it the
 * provider's refresh token, when kept, extends the window, otherwise the user is refused (403)
 * until logging in at the provider again.
 */
@ApplicationScoped
public class OidcLoginValidity {

  private static final Logger LOG = Logger.getLogger(OidcLoginValidity.class);

  private final ApiConfig.Oidc config;
  private final OidcUsers users;
  private final OidcProvider provider;

  OidcLoginValidity(ApiConfig config, OidcUsers users, OidcProvider provider) {
    this.config = config.oidc();
    this.users = users;
    this.provider = provider;
  }

  /** {@code user}, once its OIDC login (if it has one) is still valid or has been extended. */
  public Uni<AuthenticatedUser> check(AuthenticatedUser user) {
    // Only users of an OIDC login have a window: local users and organizations cost no query.
    if (!config.enabled() || user == null || !user.external()) {
      return Uni.createFrom().item(user);
    }
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    return users
        .identityOf(user.id())
        .chain(
            identity -> {
              if (identity == null || !lapsed(identity, now)) {
                return Uni.createFrom().item(user);
              }
              if (!config.users().useRefreshToken() || identity.refreshToken == null) {
                throw expired();
              }
              return provider
                  .endpoints()
                  .chain(endpoints -> provider.refresh(endpoints, identity.refreshToken))
                  .onFailure(ApiException.class)
                  .recoverWithItem(
                      failure -> {
                        LOG.warnf(
                            "could not extend the OIDC login of %s: %s",
                            user.username(), failure.getMessage());
                        return null;
                      })
                  .chain(
                      tokens ->
                          tokens != null
                              ? users
                                  .extend(user.id(), now, tokens.refreshToken())
                                  .replaceWith(user)
                              : extendedMeanwhile(user, now));
            });
  }

  /**
   * The user when another request (here or on another replica) has just redeemed the same refresh
   * token: providers that rotate refresh tokens refuse the second use, which must not log out a
   * frontend that sent a few requests at once.
   */
  private Uni<AuthenticatedUser> extendedMeanwhile(AuthenticatedUser user, OffsetDateTime now) {
    return users
        .identityOf(user.id())
        .map(
            identity -> {
              if (identity == null || lapsed(identity, now)) {
                throw expired();
              }
              return user;
            });
  }

  private boolean lapsed(OidcIdentity identity, OffsetDateTime now) {
    return now.isAfter(identity.lastLoginAt.plus(config.users().loginValidityDuration()));
  }

  private static ApiException expired() {
    return ApiException.detail(
        403, "Your OIDC login has expired: log in again through the identity provider.");
  }
}
