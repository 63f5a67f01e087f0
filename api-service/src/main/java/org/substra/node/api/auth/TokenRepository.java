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

  /** The user's token of this id, or null. */
  public Uni<Token> findOwned(UUID id, Long userId) {
    return find("id = ?1 and user.id = ?2", id, userId).firstResult();
  }

  /** The user's tokens of a kind, newest first. */
  public Uni<List<Token>> ofUser(Long userId, Token.Kind kind) {
    return list("user.id = ?1 and kind = ?2 order by createdAt desc", userId, kind);
  }
}
