package org.substra.node.health.rabbitmq;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where the node's RabbitMQ broker is; services map their messaging settings onto these. */
@ConfigMapping(prefix = "node.rabbitmq")
public interface RabbitMqConfig {

  @WithDefault("127.0.0.1")
  String host();

  @WithDefault("5672")
  int port();

  @WithDefault("substra")
  String username();

  @WithDefault("substra")
  String password();

  @WithDefault("substra")
  String virtualHost();
}
