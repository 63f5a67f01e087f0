package org.substra.node.api.user;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.elytron.security.common.BcryptUtil;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.substra.node.testing.LocalDependencies;

@QuarkusTest
@WithTestResource(
    value = LocalDependencies.class,
    initArgs = {
      @ResourceArg(name = "dependencies", value = "postgresql,object-storage,orchestrator"),
      @ResourceArg(name = "database", value = "substra_test")
    })
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
            () -> service.ensureUser("test-admin", "test-password", true)));
    assertEquals(
        "password updated",
        VertxContextSupport.subscribeAndAwait(
            () -> service.ensureUser("test-admin", "new-password", true)));
    User user =
        VertxContextSupport.subscribeAndAwait(
            () -> Panache.withSession(() -> users.findByUsername("test-admin")));
    assertTrue(BcryptUtil.matches("new-password", user.passwordHash));
    assertEquals(
        1L,
        VertxContextSupport.subscribeAndAwait(
            () -> Panache.withSession(() -> users.count("username", "test-admin"))));

    VertxContextSupport.subscribeAndAwait(
        () -> service.ensureUser("test-admin", "test-password", true));
  }
}
