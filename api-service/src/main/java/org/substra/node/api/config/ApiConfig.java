package org.substra.node.api.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Settings of the REST API. */
@ConfigMapping(prefix = "api")
public interface ApiConfig {

  /** This organization's id (Substra's MSP_ID): owner of its assets, worker of its tasks. */
  @WithDefault("MyOrg1MSP")
  String organizationId();

  /** This organization's name (Substra's ORG_NAME), shown by {@code /info/}. */
  @WithDefault("org-1")
  String organizationName();

  /** The public base URL clients reach this node at (Substra's DEFAULT_DOMAIN). */
  @WithDefault("http://localhost:8000")
  String host();

  /** The version {@code /info/} reports (Substra's BACKEND_VERSION). */
  @WithDefault("dev")
  String version();

  /** The channels this node works in, by name (Substra's CHANNELS). */
  Map<String, Channel> channels();

  Tokens tokens();

  Jwt jwt();

  /**
   * The domain the web frontend shares with this API (COMMON_HOST_DOMAIN), set on the login cookies
   * so that the frontend's host receives them; host-only cookies when unset.
   */
  Optional<String> commonHostDomain();

  Uploads uploads();

  /**
   * Whether this organization builds function images (BUILDER_ENABLED); without a builder, function
   * registration is refused (422).
   */
  @WithDefault("true")
  boolean builderEnabled();

  FirstUser firstUser();

  /** One channel's settings. */
  interface Channel {

    /** Whether models may be downloaded by users of this channel. */
    @WithDefault("false")
    boolean modelExportEnabled();

    /** At most one member organization (checked by the probes). */
    @WithDefault("false")
    boolean restricted();
  }

  /** Registrations and their files (REST spec §4.3–§4.5, §7.5). */
  interface Uploads {

    /** Largest file a registration accepts, each (DATA_UPLOAD_MAX_SIZE). */
    @WithDefault("1G")
    MemorySize maxFileSize();

    /**
     * The folder under which data samples may be registered by server path (SERVERMEDIAS_PATH);
     * compute-service must see the same folder.
     */
    @WithDefault("/var/substra/servermedias")
    Path dataSampleRoot();

    /** How long a registration waits for its asset to show in the read model. */
    @WithDefault("10s")
    Duration visibilityTimeout();
  }

  /** Login tokens (REST spec §2.2). */
  interface Tokens {

    /** Lifetime of the tokens {@code POST /api-token-auth/} creates (EXPIRY_TOKEN_LIFETIME). */
    @WithDefault("24h")
    Duration lifetime();

    /** Whether username/password login is allowed (EXPIRY_TOKEN_ENABLED). */
    @WithDefault("true")
    boolean implicitLoginEnabled();

    /** Login attempts allowed per client address and minute (DEFAULT_THROTTLE_RATES). */
    @WithDefault("40")
    int loginsPerMinute();

    /**
     * How long a token of {@code POST /users/{username}/reset_password/} may be used (REST spec
     * §2.9; the reference's 7 days).
     */
    @WithDefault("7d")
    Duration resetPasswordLifetime();
  }

  /** The web frontend's JWT cookie login (REST spec §2.6). */
  interface Jwt {

    /**
     * The default {@link #secret()}, for local runs only: whoever knows it can forge logins, so the
     * service logs a warning when it runs with it.
     */
    String LOCAL_SECRET = "substra-node-local-jwt-secret-do-not-use-in-production";

    /** HS256 signing key of the access and refresh tokens (Substra's SECRET_KEY). */
    @WithDefault(LOCAL_SECRET)
    String secret();

    /** Lifetime of an access token (ACCESS_TOKEN_LIFETIME, 1440 minutes). */
    @WithDefault("1440m")
    Duration accessLifetime();

    /** Lifetime of a refresh token (REFRESH_TOKEN_LIFETIME, 10080 minutes). */
    @WithDefault("10080m")
    Duration refreshLifetime();

    /**
     * Whether the cookies are {@code Secure} (sent over HTTPS only); off for local runs over plain
     * HTTP, like the reference's DEBUG.
     */
    @WithDefault("true")
    boolean secureCookies();
  }

  /**
   * The user created when the node starts and has no user of that name yet, so that a fresh node
   * can be logged into. Without a username nothing is created.
   */
  interface FirstUser {

    /** Username; {@code NODE_ADMIN_USERNAME} in the local profile. */
    Optional<String> username();

    /** Password, stored hashed; {@code NODE_ADMIN_PASSWORD} in the local profile. */
    Optional<String> password();

    /** The channel the user works in. */
    @WithDefault("mychannel")
    String channel();

    /** Whether a restart with another password changes the stored one. */
    @WithDefault("true")
    boolean updatePassword();
  }
}
