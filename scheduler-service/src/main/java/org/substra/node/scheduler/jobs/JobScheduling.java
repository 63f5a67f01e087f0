package org.substra.node.scheduler.jobs;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;
import java.util.Set;
import org.jboss.logging.Logger;
import org.quartz.CronScheduleBuilder;
import org.quartz.CronTrigger;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.JobPersistenceException;
import org.quartz.ObjectAlreadyExistsException;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.SimpleTrigger;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;

/**
 * Puts every {@link PeriodicJob} in the shared Quartz job store as configured. The store is shared
 * by every replica, so each replica's start-up reconciles it with the configuration: a disabled job
 * is removed, a changed schedule replaces the trigger, an unchanged one is left alone (replacing it
 * would restart the interval at every rollout).
 */
@Singleton
public class JobScheduling {

  private static final Logger LOG = Logger.getLogger(JobScheduling.class);
  static final String GROUP = "substra-node";

  private final Scheduler quartz;
  private final Instance<PeriodicJob> jobs;

  JobScheduling(Scheduler quartz, @Any Instance<PeriodicJob> jobs) {
    this.quartz = quartz;
    this.jobs = jobs;
  }

  void onStart(@Observes StartupEvent event) throws SchedulerException {
    for (PeriodicJob job : jobs) {
      apply(job);
    }
  }

  private void apply(PeriodicJob job) throws SchedulerException {
    JobKey jobKey = JobKey.jobKey(job.id(), GROUP);
    TriggerKey triggerKey = TriggerKey.triggerKey(job.id(), GROUP);
    JobSchedule schedule = job.schedule();
    if (!schedule.enabled()) {
      if (quartz.deleteJob(jobKey)) {
        LOG.infof("job %s disabled: removed from the job store", job.id());
      } else {
        LOG.infof("job %s disabled", job.id());
      }
      return;
    }
    Trigger wanted = trigger(triggerKey, schedule);
    Trigger existing = existing(triggerKey);
    if (existing != null && sameSchedule(existing, wanted)) {
      LOG.infof(
          "job %s scheduled (%s), next run %s",
          job.id(), describe(schedule), existing.getNextFireTime());
      return;
    }
    // Delete then add rather than replace: Quartz's JDBC store cannot replace a trigger by one of
    // another kind (interval to cron), it leaves a trigger row without its cron row.
    quartz.deleteJob(jobKey);
    JobDetail detail =
        JobBuilder.newJob(unproxied(job)).withIdentity(jobKey).storeDurably().build();
    try {
      quartz.scheduleJob(detail, Set.of(wanted), false);
    } catch (ObjectAlreadyExistsException anotherReplica) {
      // A replica starting at the same time scheduled it from the same configuration.
    }
    LOG.infof("job %s scheduled (%s)", job.id(), describe(schedule));
  }

  private Trigger existing(TriggerKey key) throws SchedulerException {
    try {
      return quartz.getTrigger(key);
    } catch (JobPersistenceException unreadable) {
      // Left by an earlier replace of an interval trigger by a cron one (see above): unschedule it
      // without reading it, so that it can be scheduled again.
      LOG.warnf("trigger %s unreadable, scheduled again: %s", key, unreadable.getMessage());
      quartz.unscheduleJob(key);
      return null;
    }
  }

  private static Trigger trigger(TriggerKey key, JobSchedule schedule) {
    TriggerBuilder<Trigger> builder = TriggerBuilder.newTrigger().withIdentity(key);
    if (schedule.cron().isPresent()) {
      // Missed firings (every replica down) are not caught up one by one: the next one does the
      // work.
      return builder
          .withSchedule(
              CronScheduleBuilder.cronSchedule(schedule.cron().get())
                  .withMisfireHandlingInstructionDoNothing())
          .build();
    }
    return builder
        .startNow()
        .withSchedule(
            SimpleScheduleBuilder.simpleSchedule()
                .withIntervalInMilliseconds(schedule.every().toMillis())
                .repeatForever()
                .withMisfireHandlingInstructionNextWithRemainingCount())
        .build();
  }

  private static boolean sameSchedule(Trigger existing, Trigger wanted) {
    if (existing instanceof CronTrigger a && wanted instanceof CronTrigger b) {
      return a.getCronExpression().equals(b.getCronExpression());
    }
    if (existing instanceof SimpleTrigger a && wanted instanceof SimpleTrigger b) {
      return a.getRepeatInterval() == b.getRepeatInterval();
    }
    return false;
  }

  private static String describe(JobSchedule schedule) {
    return schedule.cron().map(cron -> "cron " + cron).orElse("every " + schedule.every());
  }

  @SuppressWarnings("unchecked")
  private static Class<? extends PeriodicJob> unproxied(PeriodicJob job) {
    Class<?> type = job.getClass();
    // A normal-scoped bean would be a generated subclass; Quartz must store the bean class.
    while (type.getName().contains("_Subclass") || type.getName().contains("_ClientProxy")) {
      type = type.getSuperclass();
    }
    return (Class<? extends PeriodicJob>) type;
  }
}
