package org.substra.node.api.auth;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class TokenRepository implements PanacheRepositoryBase<Token, UUID> {

  /** The token of {@code key} with its user, or null. */
  public Uni<Token> findByKey(String key) {
    return find("from Token t join fetch t.user where t.key = ?1", key).firstResult();
  }

  public Uni<Long> deleteExpiredImplicit(Long userId, OffsetDateTime now) {
    return delete(
        "user.id = ?1 and kind = ?2 and expiresAt <= ?3", userId, Token.Kind.IMPLICIT, now);
  }

  /**
   * Deletes the user's token of this id in one statement; how many went (0 or 1).
   *
   * <p>Never {@code delete(token)} (a loaded entity removed at flush): Hibernate Reactive's delete
   * coordinator is one object per entity type, shared by every session, and keeps the pending
   * delete in a field. Two sessions deleting a token at once overwrite each other's: one request's
   * flush then resumes on the other's event loop (HR000069) and the other never completes, its
   * transaction left idle in PostgreSQL (issue 17, concurrent SDK logouts).
   */
  public Uni<Long> deleteOwned(UUID id, Long userId) {
    return delete("id = ?1 and user.id = ?2", id, userId);
  }

  /** The user's tokens of a kind, newest first. */
  public Uni<List<Token>> ofUser(Long userId, Token.Kind kind) {
    return list("user.id = ?1 and kind = ?2 order by createdAt desc", userId, kind);
  }
}
