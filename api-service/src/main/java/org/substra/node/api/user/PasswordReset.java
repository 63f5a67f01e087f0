package org.substra.node.api.user;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** A user's outstanding password reset: the SHA-256 of its token, never the token itself. */
@Entity
@Table(name = "password_resets")
public class PasswordReset {

  @Id
  @Column(name = "user_id")
  public Long userId;

  @Column(name = "token_hash", nullable = false, length = 64)
  public String tokenHash;

  @Column(name = "expires_at", nullable = false)
  public OffsetDateTime expiresAt;
}
