package org.substra.node.api.user;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.elytron.security.common.BcryptUtil;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.substra.node.testing.Dependency;
import org.substra.node.testing.WithLocalDependencies;

@QuarkusTest
@WithLocalDependencies({Dependency.POSTGRESQL, Dependency.OBJECT_STORAGE, Dependency.ORCHESTRATOR})
class FirstUserTest {

  @Inject UserRepository users;
  @Inject UserService service;

  @Test
  void theConfiguredFirstUserExistsWithAHashedPassword() throws Throwable {
    User user =
        VertxContextSupport.subscribeAndAwait(
            () -> Panache.withSession(() -> users.findByUsername("test-admin")));

    assertEquals("ADMIN", user.role);
    assertNotEquals("test-password", user.passwordHash);
    assertTrue(BcryptUtil.matches("test-password", user.passwordHash));
  }

  @Test
  void ensuringAgainKeepsOneUserAndUpdatesItsPassword() throws Throwable {
    assertEquals(
        "already present",
        VertxContextSupport.subscribeAndAwait(
            () -> service.ensureUser("test-admin", "test-password", "mychannel", true)));
    assertEquals(
        "password updated",
        VertxContextSupport.subscribeAndAwait(
            () -> service.ensureUser("test-admin", "new-password", "mychannel", true)));
    User user =
        VertxContextSupport.subscribeAndAwait(
            () -> Panache.withSession(() -> users.findByUsername("test-admin")));
    assertTrue(BcryptUtil.matches("new-password", user.passwordHash));
    assertEquals(
        1L,
        VertxContextSupport.subscribeAndAwait(
            () -> Panache.withSession(() -> users.count("username", "test-admin"))));

    VertxContextSupport.subscribeAndAwait(
        () -> service.ensureUser("test-admin", "test-password", "mychannel", true));
  }
}
