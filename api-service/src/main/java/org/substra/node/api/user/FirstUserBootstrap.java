package org.substra.node.api.user;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;
import org.substra.node.api.config.ApiConfig;

/** Creates the configured first user at start-up, so that a fresh node can be logged into. */
public class FirstUserBootstrap {

  private static final Logger LOG = Logger.getLogger(FirstUserBootstrap.class);

  void onStart(@Observes StartupEvent event, ApiConfig config, UserService users) throws Throwable {
    ApiConfig.FirstUser first = config.firstUser();
    String username = first.username().filter(name -> !name.isBlank()).orElse(null);
    if (username == null) {
      LOG.info("no first user configured (api.first-user.username)");
      return;
    }
    String password =
        first
            .password()
            .filter(value -> !value.isBlank())
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "api.first-user.password must be set when api.first-user.username is"));
    // Hibernate Reactive needs a Vert.x context, which a start-up observer does not run on.
    String outcome =
        VertxContextSupport.subscribeAndAwait(
            () -> users.ensureUser(username, password, first.channel(), first.updatePassword()));
    LOG.infof("first user '%s': %s", username, outcome);
  }
}
