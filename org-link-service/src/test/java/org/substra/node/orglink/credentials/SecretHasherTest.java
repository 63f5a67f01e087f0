package org.substra.node.orglink.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SecretHasherTest {

  // Made with Python's hashlib.pbkdf2_hmac, as Django's PBKDF2PasswordHasher does; api-service's
  // OrganizationSecretHashTest checks the same vector.
  static final String DJANGO_HASH =
      "pbkdf2_sha256$1000$djangosalt$09WsXJ7GaifZX0WtjBm3hxsGgRYdzs0TEgDWsnCcWas=";

  @Test
  void readsDjangoHashes() {
    assertThat(SecretHasher.matches("SECRET_ORG1_ORG2", DJANGO_HASH)).isTrue();
    assertThat(SecretHasher.matches("SECRET_ORG1_ORG3", DJANGO_HASH)).isFalse();
  }

  @Test
  void hashesWithAFreshSaltAndTheGivenIterations() {
    String first = SecretHasher.hash("a".repeat(128), 1000);
    String second = SecretHasher.hash("a".repeat(128), 1000);
    assertThat(first).startsWith("pbkdf2_sha256$1000$").isNotEqualTo(second);
    assertThat(SecretHasher.matches("a".repeat(128), first)).isTrue();
    // Unlike bcrypt, the whole 128-character secret counts.
    assertThat(SecretHasher.matches("a".repeat(127) + "b", first)).isFalse();
  }
}
