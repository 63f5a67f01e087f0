package org.substra.node.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * No profile but {@code test} has a JWT key, and a node without a usable one does not start: the
 * check {@link JwtCodec} runs at start-up, and the shipped configuration read as each profile would
 * read it (without the environment, so that a developer's {@code NODE_JWT_SECRET} changes nothing).
 */
class JwtSecretTest {

  @ParameterizedTest
  @ValueSource(strings = {"prod", "local", "dev"})
  void noProfileButTestHasAKeyAndStartUpIsRefusedWithout(String profile) throws IOException {
    Optional<String> secret = shipped(profile).getOptionalValue("api.jwt.secret", String.class);

    assertThat(secret).isEmpty();
    assertThatThrownBy(() -> JwtSecret.require(secret))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("api.jwt.secret is not set")
        .hasMessageContaining("API_JWT_SECRET");
  }

  @Test
  void theLocalProfileTakesTheKeyThatNodeGenerated() throws IOException {
    String generated = "0123456789abcdef".repeat(8);
    SmallRyeConfig config =
        new SmallRyeConfigBuilder()
            .withProfile("local")
            .addDefaultInterceptors()
            .withSources(
                new PropertiesConfigSource(
                    JwtSecretTest.class.getResource("/application.properties"), 250),
                new EnvConfigSource(Map.of("NODE_JWT_SECRET", generated), 300))
            .build();

    assertThat(config.getOptionalValue("api.jwt.secret", String.class)).contains(generated);
  }

  @Test
  void theTestProfileHasAKeyOfItsOwn() throws IOException {
    Optional<String> secret = shipped("test").getOptionalValue("api.jwt.secret", String.class);

    assertThat(secret).isPresent();
    assertThat(JwtSecret.require(secret).getAlgorithm()).isEqualTo("HmacSHA256");
  }

  @Test
  void theFormerDefaultABlankOrAShortKeyIsRefused() {
    assertThatThrownBy(() -> JwtSecret.require(Optional.of(JwtSecret.FORMER_DEFAULT)))
        .hasMessageContaining("formerly documented default")
        .hasMessageContaining("API_JWT_SECRET");
    assertThatThrownBy(() -> JwtSecret.require(Optional.of("   ")))
        .hasMessageContaining("api.jwt.secret is not set");
    assertThatThrownBy(() -> JwtSecret.require(Optional.of("a".repeat(31))))
        .hasMessageContaining("too short (31 characters)");
    assertThat(JwtSecret.require(Optional.of("a".repeat(32)))).isNotNull();
  }

  @Test
  void tokensNameThisNodeByDefault() throws IOException {
    SmallRyeConfig config = shipped("prod");
    assertThat(config.getValue("api.jwt.issuer", String.class)).isEqualTo("http://localhost:8000");
    assertThat(config.getValue("api.jwt.audience", String.class)).isEqualTo("MyOrg1MSP");
  }

  private static SmallRyeConfig shipped(String profile) throws IOException {
    return new SmallRyeConfigBuilder()
        .withProfile(profile)
        .addDefaultInterceptors()
        .withSources(
            new PropertiesConfigSource(
                JwtSecretTest.class.getResource("/application.properties"), 250))
        .build();
  }
}
