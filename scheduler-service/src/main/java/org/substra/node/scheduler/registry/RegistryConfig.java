package org.substra.node.scheduler.registry;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/**
 * The node's container registry, as the chart gives it to compute-service and scheduler-service
 * ({@code NODE_REGISTRY_*}). The scheduler only uses the address, scheme and repository; the other
 * settings are mapped so that the shared environment is accepted.
 */
@ConfigMapping(prefix = "node.registry")
public interface RegistryConfig {

  @WithDefault("true")
  boolean local();

  /** {@code host:port} of the registry's HTTP API. */
  @WithDefault("127.0.0.1:32000")
  String address();

  @WithDefault("http")
  String scheme();

  @WithDefault("127.0.0.1")
  String pullDomain();

  /** The repository compute-service pushes function images to. */
  @WithDefault("substra/user-image")
  String userImageRepository();

  Optional<String> serviceName();
}
