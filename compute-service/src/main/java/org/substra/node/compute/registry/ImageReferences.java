package org.substra.node.compute.registry;

import jakarta.inject.Singleton;
import java.util.Locale;
import java.util.OptionalInt;
import org.substra.node.compute.config.RegistryConfig;

/** Names of function images: where Kaniko pushes them and where kubelets pull them from. */
@Singleton
public class ImageReferences {

  private final RegistryConfig registry;

  public ImageReferences(RegistryConfig registry) {
    this.registry = registry;
  }

  /**
   * Identical archives share an image, so the tag derives from the archive checksum rather than
   * from the function key.
   */
  public static String tag(String archiveChecksum) {
    String hex = archiveChecksum.toLowerCase(Locale.ROOT);
    if (hex.length() < 16 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
      throw new IllegalArgumentException("not a hex checksum: " + archiveChecksum);
    }
    return "function-" + hex.substring(0, 16);
  }

  public String pushReference(String tag) {
    return registry.address() + "/" + registry.userImageRepository() + ":" + tag;
  }

  /**
   * Kubelets do not resolve cluster service names, so a local registry is reached through its
   * NodePort on {@code pullDomain}.
   */
  public String pullReference(String tag, OptionalInt localNodePort) {
    String host = registry.pullDomain();
    if (registry.local()) {
      host +=
          ":"
              + localNodePort.orElseThrow(
                  () -> new IllegalArgumentException("a local registry needs its NodePort"));
    }
    return host + "/" + registry.userImageRepository() + ":" + tag;
  }
}
