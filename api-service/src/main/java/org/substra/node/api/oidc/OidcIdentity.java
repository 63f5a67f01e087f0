package org.substra.node.api.oidc;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** Who a user created by an OIDC login is at the provider, and when the provider last said so. */
@Entity
@Table(name = "oidc_identities")
public class OidcIdentity {

  @Id
  @Column(name = "user_id")
  public Long userId;

  @Column(nullable = false, length = 255)
  public String issuer;

  @Column(nullable = false, length = 255)
  public String subject;

  /** The latest email the provider gave; the username keeps the first one. */
  @Column(nullable = false, length = 254)
  public String email;

  @Column(name = "last_login_at", nullable = false)
  public OffsetDateTime lastLoginAt;

  /** The provider's refresh token, kept only with {@code api.oidc.users.use-refresh-token}. */
  @Column(name = "refresh_token")
  public String refreshToken;
}
