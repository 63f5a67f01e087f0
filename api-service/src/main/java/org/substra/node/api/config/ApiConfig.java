package org.substra.node.api.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/** Settings of the REST API. */
@ConfigMapping(prefix = "api")
public interface ApiConfig {

  FirstUser firstUser();

  /**
   * The user created when the node starts and has no user of that name yet, so that a fresh node
   * can be logged into. Without a username nothing is created.
   */
  interface FirstUser {

    /** Username; {@code NODE_ADMIN_USERNAME} in the local profile. */
    Optional<String> username();

    /** Password, stored hashed; {@code NODE_ADMIN_PASSWORD} in the local profile. */
    Optional<String> password();

    /** Whether a restart with another password changes the stored one. */
    @WithDefault("true")
    boolean updatePassword();
  }
}
