package org.substra.node.compute.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.substra.node.compute.config.TestConfigs;

class ImageReferencesTest {

  @Test
  void tagComesFromTheArchiveChecksum() {
    assertThat(ImageReferences.tag("0123456789ABCDEF0123456789abcdef"))
        .isEqualTo("function-0123456789abcdef");
    assertThatThrownBy(() -> ImageReferences.tag("xyz"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void localRegistryIsPulledThroughItsNodePort() {
    var images =
        new ImageReferences(
            TestConfigs.registry(
                "node.registry.local", "true",
                "node.registry.address", "release-docker-registry:5000",
                "node.registry.pull-domain", "127.0.0.1"));

    assertThat(images.pushReference("function-1"))
        .isEqualTo("release-docker-registry:5000/substra/user-image:function-1");
    assertThat(images.pullReference("function-1", OptionalInt.of(31234)))
        .isEqualTo("127.0.0.1:31234/substra/user-image:function-1");
    assertThatThrownBy(() -> images.pullReference("function-1", OptionalInt.empty()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void externalRegistryIsPulledByItsDomain() {
    var images =
        new ImageReferences(
            TestConfigs.registry(
                "node.registry.local", "false",
                "node.registry.pull-domain", "harbor.example",
                "node.registry.user-image-repository", "team/functions"));

    assertThat(images.pullReference("function-1", OptionalInt.of(31234)))
        .isEqualTo("harbor.example/team/functions:function-1");
  }
}
