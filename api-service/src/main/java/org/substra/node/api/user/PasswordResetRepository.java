package org.substra.node.api.user;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;

@ApplicationScoped
public class PasswordResetRepository implements PanacheRepositoryBase<PasswordReset, Long> {

  /** Whether the user has this unexpired reset. */
  public Uni<Boolean> isValid(Long userId, String tokenHash, OffsetDateTime now) {
    return count("userId = ?1 and tokenHash = ?2 and expiresAt > ?3", userId, tokenHash, now)
        .map(count -> count > 0);
  }

  /**
   * Uses up the reset; false when it is not (or no longer) there. A single delete, so that of two
   * requests racing with one token only one sets a password.
   */
  public Uni<Boolean> consume(Long userId, String tokenHash, OffsetDateTime now) {
    return delete("userId = ?1 and tokenHash = ?2 and expiresAt > ?3", userId, tokenHash, now)
        .map(deleted -> deleted > 0);
  }

  public Uni<Long> forget(Long userId) {
    return delete("userId", userId);
  }
}
