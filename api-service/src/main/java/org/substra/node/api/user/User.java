package org.substra.node.api.user;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** A person who logs into this node's API. */
@Entity
@Table(name = "users")
public class User {

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long id;

  @Column(nullable = false, unique = true, length = 150)
  public String username;

  @Column(name = "password_hash", nullable = false, length = 100)
  public String passwordHash;

  @Column(nullable = false, length = 16)
  public String role = "ADMIN";

  /** The channel the user works in; null: none (logs in, reaches no asset). */
  @Column(length = 100)
  public String channel;

  /** Created by an OIDC login: no usable password, identified by its provider. */
  @Column(name = "is_external_user", nullable = false)
  public boolean externalUser;

  @Column(name = "created_at", nullable = false, insertable = false, updatable = false)
  public OffsetDateTime createdAt;
}
