package org.substra.node.api.auth;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.substra.node.api.user.User;

/** A key of the {@code Authorization: Token} header, owned by a user. */
@Entity
@Table(name = "tokens")
public class Token {

  /** Implicit tokens come from a login and expire; API tokens are created on purpose. */
  public enum Kind {
    IMPLICIT,
    API
  }

  @Id public UUID id;

  @Column(nullable = false, unique = true, length = 40)
  public String key;

  @ManyToOne(fetch = FetchType.LAZY, optional = false)
  @JoinColumn(name = "user_id")
  public User user;

  @Column(nullable = false, length = 16)
  @jakarta.persistence.Enumerated(jakarta.persistence.EnumType.STRING)
  public Kind kind;

  @Column(length = 100)
  public String note;

  @Column(name = "created_at", nullable = false)
  public OffsetDateTime createdAt;

  @Column(name = "expires_at")
  public OffsetDateTime expiresAt;

  public boolean expired(OffsetDateTime now) {
    return expiresAt != null && !expiresAt.isAfter(now);
  }
}
