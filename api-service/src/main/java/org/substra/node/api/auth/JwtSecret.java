package org.substra.node.api.auth;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import javax.crypto.spec.SecretKeySpec;

/**
 * The check of {@code api.jwt.secret} before anything is signed with it: a node whose key can be
 * guessed lets anyone forge a login, admin routes included, so a missing, short or formerly
 * documented key stops the service at start-up instead of being used.
 */
final class JwtSecret {

  /** Below this many characters a key is refused (HS256 wants at least 256 bits of key). */
  static final int MIN_LENGTH = 32;

  /**
   * The default this service shipped with before the key became mandatory: published, so tokens
   * signed with it prove nothing.
   */
  static final String FORMER_DEFAULT = "substra-node-local-jwt-secret-do-not-use-in-production";

  private static final String HOW =
      "; set api.jwt.secret (environment variable API_JWT_SECRET) to a random value of at least "
          + MIN_LENGTH
          + " characters kept secret to this node, e.g. `openssl rand -hex 32`"
          + " (./node up and the Helm chart generate one per node)";

  private JwtSecret() {}

  /** The HS256 key of this secret; {@link IllegalStateException} naming the setting otherwise. */
  static SecretKeySpec require(Optional<String> secret) {
    String value = secret.map(String::strip).orElse("");
    if (value.isEmpty()) {
      throw new IllegalStateException(
          "api.jwt.secret is not set: the web login cannot sign tokens" + HOW);
    }
    if (value.equals(FORMER_DEFAULT)) {
      throw new IllegalStateException(
          "api.jwt.secret is the formerly documented default, which anyone can sign logins with"
              + HOW);
    }
    if (value.length() < MIN_LENGTH) {
      throw new IllegalStateException(
          "api.jwt.secret is too short (" + value.length() + " characters)" + HOW);
    }
    return new SecretKeySpec(secret.get().getBytes(StandardCharsets.UTF_8), "HmacSHA256");
  }
}
