package org.substra.node.api.user;

import io.quarkus.elytron.security.common.BcryptUtil;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Creates and updates the node's users; passwords are only ever stored as bcrypt hashes. */
@ApplicationScoped
public class UserService {

  private final UserRepository users;

  UserService(UserRepository users) {
    this.users = users;
  }

  /**
   * Creates {@code username} if missing; otherwise updates its password when asked to and when it
   * differs. Returns what happened, for the log.
   */
  @WithTransaction
  public Uni<String> ensureUser(
      String username, String password, String channel, boolean updatePassword) {
    return users
        .findByUsername(username)
        .flatMap(
            existing -> {
              if (existing == null) {
                User user = new User();
                user.username = username;
                user.passwordHash = BcryptUtil.bcryptHash(password);
                user.channel = channel;
                return users.persist(user).replaceWith("created");
              }
              if (existing.channel == null) {
                existing.channel = channel;
              }
              if (updatePassword && !BcryptUtil.matches(password, existing.passwordHash)) {
                existing.passwordHash = BcryptUtil.bcryptHash(password);
                return Uni.createFrom().item("password updated");
              }
              return Uni.createFrom().item("already present");
            });
  }
}
