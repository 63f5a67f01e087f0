package org.substra.node.api.auth;

import jakarta.enterprise.context.RequestScoped;
import java.util.Optional;
import org.substra.node.api.error.ApiException;
import org.substra.node.api.orglink.OrganizationAuthenticator;

/** The user the authentication filter found for the current request, if any. */
@RequestScoped
public class CurrentUser {

  private AuthenticatedUser user;

  void set(AuthenticatedUser user) {
    this.user = user;
  }

  /**
   * The calling organization when another backend (or this one's own services) called with Basic
   * credentials (REST spec §2.8); empty for end users.
   */
  public Optional<String> organization() {
    return Optional.ofNullable(user)
        .filter(caller -> OrganizationAuthenticator.ROLE.equals(caller.role()))
        .map(AuthenticatedUser::username);
  }

  public Optional<AuthenticatedUser> get() {
    return Optional.ofNullable(user);
  }

  /** The user; 401 when the request carries no credentials. */
  public AuthenticatedUser required() {
    if (user == null) {
      throw ApiException.unauthenticated("Authentication credentials were not provided.");
    }
    return user;
  }

  /** The user's channel; 403 for a user without one (REST spec §1.7). */
  public String channel() {
    AuthenticatedUser caller = required();
    if (caller.channel() == null) {
      throw ApiException.detail(403, "You do not have permission to perform this action.");
    }
    return caller.channel();
  }
}
