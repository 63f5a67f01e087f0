package org.substra.node.api.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.substra.node.api.error.ApiException;

/** Id token checks and usernames, without a provider or an application. */
class OidcIdTokenTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final String SECRET = "client-secret";
  private static final Instant NOW = Instant.ofEpochSecond(1_800_000_000L);

  private static Map<String, Object> claims() {
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("iss", "https://id.example.org/");
    claims.put("sub", "248289761001");
    claims.put("aud", List.of("node", "other"));
    claims.put("azp", "node");
    claims.put("exp", NOW.getEpochSecond() + 300);
    claims.put("nonce", "n-0S6_WzA2Mj");
    return claims;
  }

  private static String hs256(Map<String, Object> header, Map<String, Object> claims, String key)
      throws Exception {
    String signed =
        B64.encodeToString(JSON.writeValueAsBytes(header))
            + "."
            + B64.encodeToString(JSON.writeValueAsBytes(claims));
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return signed
        + "."
        + B64.encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.US_ASCII)));
  }

  @Test
  void anHs256TokenOfTheClientSecretChecksOut() throws Exception {
    IdToken token = IdToken.parse(hs256(Map.of("alg", "HS256"), claims(), SECRET), JSON);

    assertThat(token.algorithm()).isEqualTo("HS256");
    assertThat(token.signedWith("HS256", SECRET)).isTrue();
    assertThat(token.signedWith("HS256", "another secret")).isFalse();
    // The issuer compares without its trailing slash.
    assertThat(token.verifiedClaims("https://id.example.org", "node", "n-0S6_WzA2Mj", NOW))
        .containsEntry("sub", "248289761001");
  }

  @Test
  void wrongClaimsAreRefused() throws Exception {
    IdToken token = IdToken.parse(hs256(Map.of("alg", "HS256"), claims(), SECRET), JSON);

    assertRefused(
        () -> token.verifiedClaims("https://evil.example", "node", "n-0S6_WzA2Mj", NOW),
        "another issuer");
    assertRefused(() -> token.verifiedClaims(null, "other", "n-0S6_WzA2Mj", NOW), "another client");
    assertRefused(() -> token.verifiedClaims(null, "node", "replayed", NOW), "nonce");
    assertRefused(
        () -> token.verifiedClaims(null, "node", "n-0S6_WzA2Mj", NOW.plusSeconds(3600)), "expired");
    assertRefused(() -> IdToken.parse("not.a-token", JSON), "not a signed JWT");
  }

  @Test
  void usernamesComeFromTheEmail() {
    assertThat(OidcUsers.username("Jane.Doe@Example.com", false)).isEqualTo("jane.doe");
    assertThat(OidcUsers.username("jane.doe@example.com", true)).isEqualTo("jane.doe_example.com");
    assertThat(OidcUsers.username("o'brien+x@example.com", false)).isEqualTo("o_brien+x");
    assertThat(OidcUsers.username("x".repeat(300) + "@example.com", false)).hasSize(142);
  }

  private static void assertRefused(
      org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String why) {
    assertThatThrownBy(call)
        .isInstanceOf(ApiException.class)
        .hasMessageContaining(why)
        .satisfies(e -> assertThat(((ApiException) e).status()).isEqualTo(401));
  }
}
