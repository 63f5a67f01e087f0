package org.substra.node.scheduler.reconciliation;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;
import org.substra.node.scheduler.config.SchedulerConfig;
import org.substra.node.scheduler.orchestrator.Orchestrator;

/**
 * Compares the read model's unfinished tasks with the orchestrator and reports the differences: in
 * the log (one line per task) and as gauges ({@code scheduler_reconciliation_differences{kind}}).
 *
 * <p>Tasks with another status are then repaired by event-service ({@link EventServiceRepairs}): it
 * is the read model's only writer and derives plan counters and statuses at each event, so it
 * re-projects them from the orchestrator's state the way an event would. Repairs are counted in
 * {@code scheduler_reconciliation_repairs_total}. Tasks unknown to the orchestrator are only
 * reported: deleting read-model rows on one failed lookup would be riskier than the difference.
 */
@Singleton
public class ReadModelReconciliation {

  private static final Logger LOG = Logger.getLogger(ReadModelReconciliation.class);

  /** What one comparison found. */
  public record Outcome(int compared, int statusDiffers, int unknown, int repaired) {
    @Override
    public String toString() {
      return "compared "
          + compared
          + " tasks: "
          + statusDiffers
          + " with another status in the orchestrator, "
          + unknown
          + " unknown to it; "
          + repaired
          + " repaired";
    }
  }

  private final ReconciliationConfig config;
  private final SchedulerConfig organization;
  private final UnfinishedTaskRepository tasks;
  private final Orchestrator orchestrator;
  private final AtomicInteger statusDiffers = new AtomicInteger();
  private final AtomicInteger unknown = new AtomicInteger();
  private final MeterRegistry registry;
  private final List<Meter> meters;
  private final EventServiceRepairs repairs;
  private final Counter repairCount;

  ReadModelReconciliation(
      ReconciliationConfig config,
      SchedulerConfig organization,
      UnfinishedTaskRepository tasks,
      Orchestrator orchestrator,
      EventServiceRepairs repairs,
      MeterRegistry registry) {
    this.config = config;
    this.organization = organization;
    this.tasks = tasks;
    this.orchestrator = orchestrator;
    this.registry = registry;
    this.repairs = repairs;
    this.repairCount =
        Counter.builder("scheduler.reconciliation.repairs")
            .description("Read-model tasks event-service re-projected from the orchestrator")
            .register(registry);
    this.meters =
        List.of(gauge("task_status", statusDiffers), gauge("task_unknown", unknown), repairCount);
  }

  private Meter gauge(String kind, AtomicInteger value) {
    return Gauge.builder("scheduler.reconciliation.differences", value, AtomicInteger::get)
        .description("Differences between the read model and the orchestrator at the last run")
        .tag("kind", kind)
        .strongReference(true)
        .register(registry);
  }

  /** The registry may outlive this bean (see JobRunRecorder#removeGauges). */
  @PreDestroy
  void removeGauges() {
    meters.forEach(registry::remove);
  }

  public Outcome compare() throws Exception {
    int compared = 0;
    int differs = 0;
    int missing = 0;
    List<String> differing = new ArrayList<>();
    for (UnfinishedTaskRepository.Task task :
        tasks.oldest(organization.channels(), config.maxTasks())) {
      compared++;
      String key = task.key().toString();
      try {
        String actual = orchestrator.task(task.channel(), key).getStatus().name();
        if (!actual.equals(task.status())) {
          differs++;
          differing.add(key);
          LOG.warnf(
              "read model differs from the orchestrator: task %s is %s, read model says %s",
              key, actual, task.status());
        }
      } catch (StatusRuntimeException e) {
        if (e.getStatus().getCode() != Status.Code.NOT_FOUND) {
          throw e;
        }
        missing++;
        LOG.warnf("read model differs from the orchestrator: task %s unknown to it", key);
      }
    }
    statusDiffers.set(differs);
    unknown.set(missing);
    int repaired = 0;
    if (config.repair() && !differing.isEmpty()) {
      EventServiceRepairs.Result result = repairs.repair(differing);
      repaired = result.repaired().size();
      repairCount.increment(repaired);
      LOG.infof(
          "event-service repaired tasks %s from the orchestrator (already in agreement: %s,"
              + " unknown to the orchestrator: %s)",
          result.repaired(), result.unchanged(), result.unknown());
    }
    return new Outcome(compared, differs, missing, repaired);
  }
}
