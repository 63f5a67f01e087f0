package org.substra.node.orglink.credentials;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Hashes incoming-organization secrets as PBKDF2-SHA256 in Django's format {@code
 * pbkdf2_sha256$<iterations>$<salt>$<base64 hash>} (worker-spec §6.1). Not bcrypt: bcrypt ignores
 * everything past 72 bytes, and generated secrets are 128 characters long.
 */
public final class SecretHasher {

  private static final String ALGORITHM = "pbkdf2_sha256";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final char[] SALT_CHARS =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".toCharArray();

  private SecretHasher() {}

  public static String hash(String secret, int iterations) {
    StringBuilder salt = new StringBuilder();
    for (int i = 0; i < 22; i++) {
      salt.append(SALT_CHARS[RANDOM.nextInt(SALT_CHARS.length)]);
    }
    return ALGORITHM
        + "$"
        + iterations
        + "$"
        + salt
        + "$"
        + Base64.getEncoder().encodeToString(derive(secret, salt.toString(), iterations));
  }

  /** Whether {@code secret} matches {@code encoded}; false for anything not in the format above. */
  public static boolean matches(String secret, String encoded) {
    String[] parts = encoded == null ? new String[0] : encoded.split("\\$", -1);
    if (parts.length != 4 || !ALGORITHM.equals(parts[0])) {
      return false;
    }
    int iterations;
    byte[] expected;
    try {
      iterations = Integer.parseInt(parts[1]);
      expected = Base64.getDecoder().decode(parts[3]);
    } catch (IllegalArgumentException e) {
      return false;
    }
    return MessageDigest.isEqual(expected, derive(secret, parts[2], iterations));
  }

  private static byte[] derive(String secret, String salt, int iterations) {
    try {
      PBEKeySpec spec =
          new PBEKeySpec(
              secret.toCharArray(), salt.getBytes(StandardCharsets.UTF_8), iterations, 256);
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2WithHmacSHA256 is part of every JDK", e);
    }
  }
}
