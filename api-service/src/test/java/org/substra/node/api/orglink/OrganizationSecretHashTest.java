package org.substra.node.api.orglink;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OrganizationSecretHashTest {

  // Made with Python's hashlib.pbkdf2_hmac, as Django's PBKDF2PasswordHasher does; the same vector
  // is checked against org-link-service's SecretHasher, so both sides agree on the format.
  static final String DJANGO_HASH =
      "pbkdf2_sha256$1000$djangosalt$09WsXJ7GaifZX0WtjBm3hxsGgRYdzs0TEgDWsnCcWas=";

  @Test
  void acceptsTheSecretOfADjangoFormatHashAndNothingElse() {
    assertThat(OrganizationSecretHash.matches("SECRET_ORG1_ORG2", DJANGO_HASH)).isTrue();
    assertThat(OrganizationSecretHash.matches("SECRET_ORG1_ORG3", DJANGO_HASH)).isFalse();
    assertThat(OrganizationSecretHash.matches("SECRET_ORG1_ORG2", "SECRET_ORG1_ORG2")).isFalse();
    assertThat(OrganizationSecretHash.matches("x", "pbkdf2_sha256$x$salt$AAAA")).isFalse();
    assertThat(OrganizationSecretHash.matches("x", null)).isFalse();
  }
}
