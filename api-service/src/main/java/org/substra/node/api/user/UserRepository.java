package org.substra.node.api.user;

import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class UserRepository implements PanacheRepository<User> {

  public Uni<User> findByUsername(String username) {
    return find("username", username).firstResult();
  }

  /**
   * Deletes the user's row in one statement (PostgreSQL drops its tokens, resets and identities).
   * Never {@code delete(user)}: Hibernate Reactive's delete coordinator is shared by all sessions
   * and two entity deletes at once cross (see {@code TokenRepository.deleteOwned}).
   */
  public Uni<Void> deleteRow(User user) {
    return delete("id", user.id).replaceWithVoid();
  }
}
