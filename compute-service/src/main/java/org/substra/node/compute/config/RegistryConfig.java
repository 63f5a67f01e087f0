package org.substra.node.compute.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** The node's container registry, where Kaniko pushes function images and kubelets pull them. */
@ConfigMapping(prefix = "node.registry")
public interface RegistryConfig {

  /**
   * The chart's own registry, reached by kubelets through a NodePort read from {@link
   * #serviceName()}.
   */
  @WithDefault("true")
  boolean local();

  /** {@code host:port} that compute-service and Kaniko push to. */
  @WithDefault("127.0.0.1:32000")
  String address();

  /** {@code http} makes Kaniko push and pull without TLS. */
  @WithDefault("http")
  String scheme();

  /** Host name in the image references of compute pods, as kubelets see the registry. */
  @WithDefault("127.0.0.1")
  String pullDomain();

  @WithDefault("substra/user-image")
  String userImageRepository();

  /** Service of the local registry, whose first port's NodePort goes into image references. */
  Optional<String> serviceName();

  /**
   * Docker {@code config.json} whose {@code auths} entry for {@link #address()} authenticates the
   * registry API calls (the chart mounts Kaniko's {@code kaniko.dockerConfigSecretName} there); a
   * missing file means anonymous calls.
   */
  @WithDefault("/var/substra/docker-config/config.json")
  Path dockerConfig();

  /** Timeout of one registry API call (connect, and whole answer). */
  @WithDefault("30s")
  Duration timeout();

  default boolean insecure() {
    return "http".equalsIgnoreCase(scheme());
  }
}
