package org.substra.node.api.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
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

  Oidc oidc();

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
     * compute-service must see the same folder ({@code compute.data-sample-root}). A registered
     * folder must really lie under it and hold only files and folders, no links. It must hold no
     * secret: whoever may register samples may have any file under it read by their tasks.
     */
    @WithDefault("/var/substra/servermedias")
    Path dataSampleRoot();

    /**
     * What one uploaded archive (function archive, data sample) may unpack to: refused at upload
     * when over, as compute-service would refuse to unpack it ({@code compute.archives.*}; {@code
     * node.archives.*} sets both).
     */
    Archives archives();

    interface Archives {

      /**
       * Bytes an archive may unpack to: as large as compute-service's asset cache and a task's disk
       * by default, a larger sample would fit neither.
       */
      @WithDefault("10G")
      MemorySize maxSize();

      /**
       * Files and folders in one archive: a data sample is a handful of files, a shard of an image
       * dataset some thousands; each costs an inode and a hard link per task.
       */
      @WithDefault("100000")
      long maxEntries();

      /**
       * Bytes unpacked per byte of the archive read: CSV and text compress some 3 to 10 times,
       * images and arrays hardly, deflate reaches 1 000 only on runs of one byte. Data more
       * compressible (large sparse arrays) can be sent as a plain tar or a stored zip.
       */
      @WithDefault("100")
      long maxRatio();

      /**
       * Bytes an archive may unpack to before its ratio is checked: small archives of text pass.
       */
      @WithDefault("64M")
      MemorySize ratioGrace();
    }

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
     * The most client addresses the login throttle remembers at once; past it, it forgets first the
     * addresses whose minute has passed, then those not being throttled, oldest first.
     */
    @WithDefault("10000")
    int loginThrottleAddresses();

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
     * HS256 signing key of the access and refresh tokens and of the OIDC flow cookie (Substra's
     * SECRET_KEY; {@code API_JWT_SECRET}). No default: whoever knows the key can forge any login,
     * so the service refuses to start without one ({@code ./node} and the chart generate one per
     * node); only the {@code test} profile has a value.
     */
    Optional<String> secret();

    /**
     * The {@code iss} claim of the tokens this node signs, and the only one it accepts: by default
     * {@code api.host}, so that a token of another node is refused even if it had the same key.
     */
    String issuer();

    /**
     * The {@code aud} claim of the tokens this node signs, which a token must carry to be accepted
     * here: by default {@code api.organization-id}.
     */
    String audience();

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

  /**
   * Login through an OpenID Connect provider for the web frontend (REST spec §2.7, Substra's OIDC_*
   * settings): authorization code flow with PKCE, users created on their first login.
   */
  interface Oidc {

    /** Whether {@code /oidc/authenticate/} and {@code /oidc/callback/} exist (OIDC_ENABLED). */
    @WithDefault("false")
    boolean enabled();

    /**
     * The provider's issuer URL (OIDC_OP_URL); its endpoints are read from {@code
     * <url>/.well-known/openid-configuration} at first use, unless all are set in {@link
     * #endpoints()}. The id tokens' {@code iss} must be the discovered issuer (or this URL when
     * nothing was discovered).
     */
    Optional<URI> providerUrl();

    /** The provider's name on the frontend's login button ({@code /info/}); the URL by default. */
    Optional<String> displayName();

    /** Endpoints that override (or replace) the discovered ones. */
    Endpoints endpoints();

    /** This node's client id at the provider (OIDC_RP_CLIENT_ID); required when enabled. */
    Optional<String> clientId();

    /** This node's client secret (OIDC_RP_CLIENT_SECRET); also the HS256 key of id tokens. */
    Optional<String> clientSecret();

    /**
     * How the provider signs id tokens (OIDC_RP_SIGN_ALGO): {@code RS256} (RS384, RS512) checked
     * against the provider's JWKS, or {@code HS256} (HS384, HS512) with the client secret. Tokens
     * signed otherwise are refused.
     */
    @WithDefault("RS256")
    String signAlgo();

    /**
     * How the client authenticates at the token endpoint: {@code client_secret_post} (the
     * reference's mozilla-django-oidc default) or {@code client_secret_basic}.
     */
    @WithDefault("client_secret_post")
    String tokenAuthMethod();

    /** The scopes asked for; the email identifies the user. */
    @WithDefault("openid email")
    String scopes();

    /**
     * Where a login ends when it named no acceptable {@code next}: the web frontend. {@code
     * api.host}'s root when unset.
     */
    Optional<String> loginRedirectUrl();

    /** How long a started login may take at the provider (the signed flow cookie's lifetime). */
    @WithDefault("10m")
    Duration flowLifetime();

    /** Timeout of each call to the provider; past it the login answers 504. */
    @WithDefault("10s")
    Duration providerTimeout();

    Users users();

    /** Provider endpoints; each one set here wins over discovery. */
    interface Endpoints {

      /** Where the browser is sent to log in (OIDC_OP_AUTHORIZATION_ENDPOINT). */
      Optional<URI> authorization();

      /** Where codes and refresh tokens are exchanged (OIDC_OP_TOKEN_ENDPOINT). */
      Optional<URI> token();

      /** Where the user's email is read with the access token (OIDC_OP_USER_ENDPOINT). */
      Optional<URI> userinfo();

      /** The provider's public keys for RS256 (OIDC_OP_JWKS_ENDPOINT). */
      Optional<URI> jwks();
    }

    /** The users OIDC logins create (Substra's OIDC_USERS_*). */
    interface Users {

      /**
       * Whether the username keeps the email's domain: {@code jane.doe@example.com} becomes {@code
       * jane.doe_example.com} instead of {@code jane.doe} (OIDC_USERS_APPEND_DOMAIN).
       */
      @WithDefault("false")
      boolean appendDomain();

      /**
       * The channel new users join, with role USER (OIDC_USERS_DEFAULT_CHANNEL); when unset they
       * have none and wait for an admin's approval ({@code /users-awaiting-approval/}).
       */
      Optional<String> defaultChannel();

      /**
       * How long a login at the provider is trusted (OIDC_USERS_LOGIN_VALIDITY_DURATION): past it,
       * the user's requests are refused (403) until the provider confirms the user again.
       */
      @WithDefault("3600s")
      Duration loginValidityDuration();

      /**
       * Whether the provider's refresh token is kept and used to extend a lapsed login without the
       * user noticing (OIDC_USERS_USE_REFRESH_TOKEN); without it the user logs in again.
       */
      @WithDefault("false")
      boolean useRefreshToken();
    }
  }
}
