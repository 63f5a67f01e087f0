package org.substra.node.health;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings shared by the dependency readiness checks. */
@ConfigMapping(prefix = "node.health")
public interface HealthConfig {

  /**
   * How long one readiness probe waits for a dependency before reporting it DOWN; kept below the
   * Kubernetes probe timeout so that a hanging dependency shows up as DOWN, not as a failed probe.
   */
  @WithDefault("3s")
  Duration timeout();

  /** The RabbitMQ check; switched on at build time by services that use the broker. */
  Check rabbitmq();

  /** The object storage (S3) check; switched on at build time by services that store files. */
  Check objectStorage();

  /** The orchestrator channel check; switched on at build time by the orchestrator's clients. */
  Check orchestrator();

  interface Check {
    /** Read at build time: a check that is off is not part of the application at all. */
    @WithDefault("false")
    boolean enabled();
  }
}
