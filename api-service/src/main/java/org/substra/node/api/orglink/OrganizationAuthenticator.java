package org.substra.node.api.orglink;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.substra.node.api.auth.AuthenticatedUser;
import org.substra.node.api.config.ApiConfig;
import org.substra.node.api.error.ApiException;

/**
 * Basic authentication of other organizations' backends (REST spec §2.8, worker-spec §6.2): the
 * pair is checked against org-link-service's incoming credentials, the channel comes only from
 * {@code Substra-Channel-Name}, and an organization registered for one channel may read that
 * channel only (the reference does not enforce this; we do).
 */
@ApplicationScoped
public class OrganizationAuthenticator {

  public static final String CHANNEL_HEADER = "Substra-Channel-Name";
  public static final String ROLE = "ORGANIZATION";

  /** The routes where Basic credentials are accepted (REST spec §2.8). */
  private static final Pattern ROUTES =
      Pattern.compile(
          "^/(function/[^/]+/(file|description|image)"
              + "|data_manager/[^/]+/(opener|description)"
              + "|model(/[^/]+(/file)?)?"
              + "|task/[^/]+/logs"
              + "|logs/[^/]+/file"
              + "|task_profiling(/.*)?)/?$");

  // A verified pair is remembered briefly: PBKDF2 is deliberately slow and a peer downloading a
  // dataset calls many times. The stored hash is part of the key, so a rotated secret misses.
  private static final Duration REMEMBERED = Duration.ofMinutes(1);
  private static final int REMEMBERED_MAX = 1000;

  private final OrganizationCredentials credentials;
  private final ApiConfig config;
  private final Map<String, Long> verified = new ConcurrentHashMap<>();

  OrganizationAuthenticator(OrganizationCredentials credentials, ApiConfig config) {
    this.credentials = credentials;
    this.config = config;
  }

  public static boolean isBasic(String header) {
    return header.trim().regionMatches(true, 0, "basic ", 0, 6);
  }

  public static boolean acceptsRoute(String path) {
    return ROUTES.matcher(path).matches();
  }

  /** The organization user of a Basic header: 401 for a wrong pair, 400/403 for the channel. */
  public Uni<AuthenticatedUser> authenticate(String header, String channel) {
    String[] pair = decode(header);
    String organizationId = pair[0];
    String secret = pair[1];
    Context context = Vertx.currentContext();
    return credentials
        .incoming(organizationId)
        .flatMap(
            incoming -> {
              // A missing organization still costs one hash check: no timing hint of who exists.
              String hash = incoming == null ? null : incoming.secretHash();
              Uni<Boolean> matches =
                  Uni.createFrom()
                      .item(() -> verify(organizationId, secret, hash))
                      .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
              if (context != null) {
                matches = matches.emitOn(command -> context.runOnContext(ignored -> command.run()));
              }
              return matches.map(
                  ok -> {
                    if (!ok || incoming == null) {
                      throw ApiException.unauthenticated("Invalid username/password.");
                    }
                    return new AuthenticatedUser(
                        null, organizationId, ROLE, channelOf(incoming, channel), false);
                  });
            });
  }

  private String channelOf(OrganizationCredentials.Incoming incoming, String channel) {
    if (channel == null || channel.isBlank()) {
      throw ApiException.detail(400, "Could not determine channel name");
    }
    if (!config.channels().containsKey(channel)
        || (incoming.channel() != null && !incoming.channel().equals(channel))) {
      throw ApiException.detail(
          403,
          incoming.organizationId() + " is not allowed to access channel \"" + channel + "\".");
    }
    return channel;
  }

  private boolean verify(String organizationId, String secret, String hash) {
    if (hash == null) {
      OrganizationSecretHash.matches(secret, DUMMY_HASH);
      return false;
    }
    String key = organizationId + "\0" + sha256(secret) + "\0" + hash;
    Long until = verified.get(key);
    long now = System.nanoTime();
    if (until != null && until - now > 0) {
      return true;
    }
    if (!OrganizationSecretHash.matches(secret, hash)) {
      return false;
    }
    if (verified.size() >= REMEMBERED_MAX) {
      verified.clear();
    }
    verified.put(key, now + REMEMBERED.toNanos());
    return true;
  }

  private static final String DUMMY_HASH =
      "pbkdf2_sha256$100000$nosuchorganization$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

  private static String[] decode(String header) {
    String encoded = header.trim().substring(6).trim();
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw ApiException.unauthenticated(
          "Invalid basic header. Credentials not correctly base64 encoded.");
    }
    int colon = decoded.indexOf(':');
    if (colon < 0) {
      throw ApiException.unauthenticated(
          "Invalid basic header. Credentials not correctly base64 encoded.");
    }
    return new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
  }

  private static String sha256(String value) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
