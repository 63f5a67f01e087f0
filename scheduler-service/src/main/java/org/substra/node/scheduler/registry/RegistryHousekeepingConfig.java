package org.substra.node.scheduler.registry;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;
import org.substra.node.scheduler.jobs.JobSchedule;

/**
 * Registry housekeeping for the Kubernetes executor: function images no task needs any more are
 * deleted through the registry's HTTP API. Off by default: the local executor builds no image.
 */
@ConfigMapping(prefix = "scheduler.registry-housekeeping")
public interface RegistryHousekeepingConfig extends JobSchedule {

  @Override
  @WithDefault("false")
  boolean enabled();

  @Override
  Optional<String> cron();

  @Override
  @WithDefault("1h")
  Duration every();

  /**
   * How long an image is kept after the last activity of the functions built from it (registration,
   * task creation or end). The reference's CELERYBEAT_MAXIMUM_IMAGES_TTL: 7 days.
   */
  @WithDefault("7d")
  Duration retention();
}
