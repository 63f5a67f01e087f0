package org.substra.node.scheduler.jobs;

import jakarta.inject.Inject;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;

/**
 * A periodic job of the node, run by Quartz in clustered mode: each firing runs on exactly one
 * replica, and never while the previous run of the same job is still going on any replica.
 *
 * <p>Subclasses are CDI singletons (Quarkus' Quartz job factory resolves them as beans); they stay
 * thin and delegate the work to a service.
 */
@DisallowConcurrentExecution
public abstract class PeriodicJob implements Job {

  @Inject JobRunRecorder recorder;

  private final String id;
  private final JobSchedule schedule;

  /**
   * {@code id}: stable name, the Quartz job key, the metric tag and the {@code job_runs.job} value.
   */
  protected PeriodicJob(String id, JobSchedule schedule) {
    this.id = id;
    this.schedule = schedule;
  }

  public String id() {
    return id;
  }

  public JobSchedule schedule() {
    return schedule;
  }

  /** Does one run's work and says what it did, in a few words, for the log and the run record. */
  protected abstract String runOnce() throws Exception;

  @Override
  public void execute(JobExecutionContext context) {
    recorder.record(id(), context.getScheduler(), context.getScheduledFireTime(), this::runOnce);
  }
}
