package org.substra.node.scheduler.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.quartz.CronTrigger;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SimpleTrigger;
import org.quartz.TriggerKey;
import org.substra.node.scheduler.stuckwork.StuckWorkJob;
import org.substra.node.scheduler.tokens.TokenFlushJob;
import org.substra.node.testing.Dependency;
import org.substra.node.testing.WithLocalDependencies;

@QuarkusTest
@TestProfile(JobSchedulingTest.Configured.class)
@WithLocalDependencies({Dependency.POSTGRESQL, Dependency.ORCHESTRATOR})
class JobSchedulingTest {

  /** One job off, one on a cron expression, one on a changed interval. */
  public static class Configured implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "scheduler.token-flush.enabled", "false",
          "scheduler.stuck-work.cron", "0 15 3 * * ?",
          "scheduler.storage-cleanup.every", "2h");
    }
  }

  @Inject Scheduler quartz;

  @Test
  void theSharedJobStoreFollowsTheConfiguration() throws Exception {
    assertThat(quartz.getMetaData().isJobStoreClustered()).isTrue();
    assertThat(quartz.getMetaData().isJobStoreSupportsPersistence()).isTrue();

    // Earlier test classes left token-flush in the shared store: disabling removes it.
    assertThat(quartz.checkExists(JobKey.jobKey(TokenFlushJob.ID, JobScheduling.GROUP))).isFalse();

    CronTrigger stuckWork =
        (CronTrigger)
            quartz.getTrigger(TriggerKey.triggerKey(StuckWorkJob.ID, JobScheduling.GROUP));
    assertThat(stuckWork.getCronExpression()).isEqualTo("0 15 3 * * ?");

    SimpleTrigger storage =
        (SimpleTrigger)
            quartz.getTrigger(TriggerKey.triggerKey("storage-cleanup", JobScheduling.GROUP));
    assertThat(storage.getRepeatInterval()).isEqualTo(2 * 3600 * 1000L);
  }
}
