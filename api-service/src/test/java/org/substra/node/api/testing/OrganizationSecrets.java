package org.substra.node.api.testing;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/** Incoming organization secrets as org-link-service's SecretHasher stores them. */
public final class OrganizationSecrets {

  private OrganizationSecrets() {}

  /** Django's PBKDF2-SHA256 format, with few iterations: the cost is not under test. */
  public static String hash(String secret) throws Exception {
    byte[] random = new byte[8];
    new SecureRandom().nextBytes(random);
    String salt = HexFormat.of().formatHex(random);
    byte[] derived =
        SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
            .generateSecret(
                new PBEKeySpec(
                    secret.toCharArray(), salt.getBytes(StandardCharsets.UTF_8), 1000, 256))
            .getEncoded();
    return "pbkdf2_sha256$1000$" + salt + "$" + Base64.getEncoder().encodeToString(derived);
  }
}
