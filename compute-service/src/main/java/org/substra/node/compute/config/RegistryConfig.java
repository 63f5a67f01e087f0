package org.substra.node.compute.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
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

  default boolean insecure() {
    return "http".equalsIgnoreCase(scheme());
  }
}
