package org.substra.node.api.orglink;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Checks a secret against the hash org-link-service stores for an incoming organization:
 * PBKDF2-SHA256 in Django's format {@code pbkdf2_sha256$<iterations>$<salt>$<base64>} (worker-spec
 * §6.1). The writing side is org-link-service's {@code SecretHasher}; the format is the contract
 * between them.
 */
public final class OrganizationSecretHash {

  private OrganizationSecretHash() {}

  public static boolean matches(String secret, String encoded) {
    String[] parts = encoded == null ? new String[0] : encoded.split("\\$", -1);
    if (parts.length != 4 || !"pbkdf2_sha256".equals(parts[0])) {
      return false;
    }
    try {
      int iterations = Integer.parseInt(parts[1]);
      byte[] expected = Base64.getDecoder().decode(parts[3]);
      PBEKeySpec spec =
          new PBEKeySpec(
              secret.toCharArray(), parts[2].getBytes(StandardCharsets.UTF_8), iterations, 256);
      byte[] actual =
          SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
      return MessageDigest.isEqual(expected, actual);
    } catch (IllegalArgumentException | GeneralSecurityException e) {
      return false;
    }
  }
}
