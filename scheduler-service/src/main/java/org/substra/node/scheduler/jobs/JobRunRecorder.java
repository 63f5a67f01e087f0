package org.substra.node.scheduler.jobs;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;

/**
 * Makes every run observable: a log line, metrics ({@code scheduler_job_runs_total{job,outcome}},
 * {@code scheduler_job_duration_seconds{job,outcome}}, {@code scheduler_job_last_run_seconds{job}}
 * and {@code scheduler_job_last_success_seconds{job}}, epoch seconds) and a {@code job_runs} row.
 *
 * <p>A failed run is recorded and swallowed: Quartz would otherwise only log it, and the next
 * firing is the retry.
 */
@Singleton
public class JobRunRecorder {

  private static final Logger LOG = Logger.getLogger(JobRunRecorder.class);

  private final MeterRegistry registry;
  private final JobRunRepository runs;
  private final Map<String, AtomicLong> lastRun = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> lastSuccess = new ConcurrentHashMap<>();
  private final List<Meter> gauges = new CopyOnWriteArrayList<>();

  JobRunRecorder(MeterRegistry registry, JobRunRepository runs) {
    this.registry = registry;
    this.runs = runs;
  }

  /** Runs {@code work} as one run of {@code job} and records it. */
  public void record(
      String job, Scheduler scheduler, Date scheduledFireTime, Callable<String> work) {
    Instant started = Instant.now();
    long start = System.nanoTime();
    String outcome;
    String summary;
    try {
      summary = work.call();
      outcome = "SUCCESS";
    } catch (Exception | LinkageError e) {
      outcome = "FAILURE";
      summary = e.getClass().getSimpleName() + ": " + e.getMessage();
      LOG.errorf(e, "job %s failed", job);
    }
    long nanos = System.nanoTime() - start;
    Timer.builder("scheduler.job.duration")
        .description("Duration of the runs of a periodic job")
        .tags("job", job, "outcome", outcome)
        .register(registry)
        .record(nanos, TimeUnit.NANOSECONDS);
    Counter.builder("scheduler.job.runs")
        .description("Runs of a periodic job on this replica, by outcome")
        .tags("job", job, "outcome", outcome)
        .register(registry)
        .increment();
    gauge(lastRun, "scheduler.job.last.run", job).set(started.getEpochSecond());
    if (outcome.equals("SUCCESS")) {
      gauge(lastSuccess, "scheduler.job.last.success", job).set(started.getEpochSecond());
    }
    long millis = TimeUnit.NANOSECONDS.toMillis(nanos);
    LOG.infof("job %s: %s in %d ms: %s", job, outcome, millis, summary);
    try {
      runs.insert(
          job,
          instanceId(scheduler),
          scheduledFireTime == null ? null : scheduledFireTime.toInstant(),
          started,
          millis,
          outcome,
          summary);
    } catch (RuntimeException e) {
      // The run itself happened; losing its record must not make Quartz see a failure.
      LOG.warnf(e, "job %s: run not recorded", job);
    }
  }

  private AtomicLong gauge(Map<String, AtomicLong> gauges, String name, String job) {
    return gauges.computeIfAbsent(
        job,
        key -> {
          AtomicLong value = new AtomicLong();
          this.gauges.add(
              Gauge.builder(name, value, AtomicLong::get)
                  .description("Epoch second of the start of the last such run on this replica")
                  .tag("job", key)
                  .strongReference(true)
                  .register(registry));
          return value;
        });
  }

  /**
   * A registry keeps the first gauge registered under a name and tags: when it outlives this bean
   * (an application restarted in one JVM, as Quarkus tests do), the next bean's gauges must not
   * find these, which would read the old values.
   */
  @PreDestroy
  void removeGauges() {
    gauges.forEach(registry::remove);
  }

  private static String instanceId(Scheduler scheduler) {
    try {
      return scheduler == null ? "manual" : scheduler.getSchedulerInstanceId();
    } catch (SchedulerException e) {
      return "unknown";
    }
  }
}
