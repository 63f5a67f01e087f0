package org.substra.node.scheduler.reconciliation;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;
import org.substra.node.scheduler.jobs.JobSchedule;

/** Read-model reconciliation: the read model's unfinished tasks compared with the orchestrator. */
@ConfigMapping(prefix = "scheduler.reconciliation")
public interface ReconciliationConfig extends JobSchedule {

  @Override
  @WithDefault("true")
  boolean enabled();

  @Override
  Optional<String> cron();

  @Override
  @WithDefault("30m")
  Duration every();

  /**
   * Tasks compared per run, oldest first: each costs one orchestrator call, and a read model far
   * behind is event-service's catch-up to fix, not this job's.
   */
  @WithDefault("1000")
  int maxTasks();

  /**
   * Whether the tasks found with another status are repaired: event-service, the read model's only
   * writer, re-projects them from the orchestrator. Off, the job only reports.
   */
  @WithDefault("true")
  boolean repair();

  /**
   * event-service's HTTP base URL (its internal repair endpoint). The default is a node run with
   * {@code ./node} (event-service on port 8081); the chart sets its Service, {@code
   * http://<fullname>-event:8081}.
   */
  @WithDefault("http://localhost:8081")
  String eventServiceUrl();

  /** How long one repair request may take (a few orchestrator calls per task). */
  @WithDefault("60s")
  Duration repairTimeout();
}
