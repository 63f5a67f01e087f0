package org.substra.node.scheduler.jobs;

import java.time.Duration;
import java.util.Optional;

/**
 * When a periodic job runs. Each job's {@code @ConfigMapping} extends this with its own defaults
 * and parameters.
 */
public interface JobSchedule {

  /** A disabled job is removed from the shared job store, so no replica fires it. */
  boolean enabled();

  /**
   * A Quartz cron expression (seconds first, e.g. {@code 0 0 3 * * ?}); wins over {@link #every}.
   */
  Optional<String> cron();

  /** The interval between two runs when no cron expression is set. */
  Duration every();
}
