package org.substra.node.scheduler.stuckwork;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;
import org.substra.node.scheduler.jobs.JobSchedule;

/**
 * Stuck work recovery: tasks of this organization dispatched but never started, or started and
 * never finished, are dispatched again or failed with an INTERNAL_ERROR report, never left as they
 * are.
 */
@ConfigMapping(prefix = "scheduler.stuck-work")
public interface StuckWorkConfig extends JobSchedule {

  @Override
  @WithDefault("true")
  boolean enabled();

  @Override
  Optional<String> cron();

  @Override
  @WithDefault("5m")
  Duration every();

  /**
   * How long a task may stay EXECUTING. The reference bounds a run only by its 24 h compute-plan
   * lock; compute-service reports progress to nobody, so past this a task is taken as lost.
   */
  @WithDefault("24h")
  Duration executingTimeout();

  /**
   * How long a task may wait for an executor slot after its work message was published before it is
   * dispatched again (compute-service may have lost it: a crash between acknowledgement and start).
   */
  @WithDefault("1h")
  Duration dispatchTimeout();

  /** Dispatches again before a task that never starts is failed. */
  @WithDefault("3")
  int maxRedispatches();

  /** The work exchange of event-service ({@code events.dispatch.exchange}). */
  @WithDefault("compute")
  String workExchange();
}
