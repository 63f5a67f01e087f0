package org.substra.node.scheduler.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.quartz.Scheduler;
import org.substra.node.scheduler.testing.JobRuns;
import org.substra.node.scheduler.testing.OwnerSchemas;
import org.substra.node.scheduler.testing.ReadModelRows;
import org.substra.node.testing.Dependency;
import org.substra.node.testing.RegistryStandIn;
import org.substra.node.testing.WithLocalDependencies;

@QuarkusTest
@TestProfile(RegistryHousekeepingJobTest.Enabled.class)
@WithLocalDependencies({Dependency.POSTGRESQL, Dependency.ORCHESTRATOR})
@WithTestResource(RegistryStandIn.class)
class RegistryHousekeepingJobTest {

  /** The housekeeping is off by default (local executor); these tests switch it on. */
  public static class Enabled implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "scheduler.registry-housekeeping.enabled", "true",
          "scheduler.registry-housekeeping.retention", "7d");
    }
  }

  @Inject AgroalDataSource dataSource;
  @Inject Scheduler quartz;

  /** Injected by the test resource. */
  RegistryStandIn registry;

  @Test
  void deletesImagesNoFunctionNeedsAndIsIdempotent() throws Exception {
    OwnerSchemas.migrate(dataSource);
    ReadModelRows readModel = new ReadModelRows(dataSource);
    Instant now = Instant.now();
    Instant longAgo = now.minus(Duration.ofDays(30));

    String running = checksum();
    UUID runningFunction = UUID.randomUUID();
    readModel.function(runningFunction, running, longAgo);
    readModel.computeTask(
        UUID.randomUUID(),
        UUID.randomUUID(),
        runningFunction,
        "MyOrg1MSP",
        "STATUS_EXECUTING",
        now);

    String finishedLongAgo = checksum();
    UUID finishedFunction = UUID.randomUUID();
    readModel.function(finishedFunction, finishedLongAgo, longAgo);
    UUID doneTask = UUID.randomUUID();
    readModel.computeTask(
        doneTask, UUID.randomUUID(), finishedFunction, "MyOrg1MSP", "STATUS_DONE", longAgo);
    readModel.taskTimes(doneTask, longAgo, now.minus(Duration.ofDays(10)));

    String finishedRecently = checksum();
    UUID recentFunction = UUID.randomUUID();
    readModel.function(recentFunction, finishedRecently, longAgo);
    UUID recentTask = UUID.randomUUID();
    readModel.computeTask(
        recentTask, UUID.randomUUID(), recentFunction, "MyOrg1MSP", "STATUS_FAILED", longAgo);
    readModel.taskTimes(recentTask, longAgo, now.minus(Duration.ofDays(1)));

    String justRegistered = checksum();
    readModel.function(UUID.randomUUID(), justRegistered, now);

    String unknown = checksum();
    String sharingRunningManifest = checksum();

    registry.reset();
    registry.tag(tag(running), "sha256:running");
    registry.tag(tag(sharingRunningManifest), "sha256:running");
    registry.tag(tag(finishedLongAgo), "sha256:finished");
    registry.tag(tag(finishedRecently), "sha256:recent");
    registry.tag(tag(justRegistered), "sha256:new");
    registry.tag(tag(unknown), "sha256:unknown");
    registry.tag("latest", "sha256:other");

    JobRuns runs = new JobRuns(dataSource, quartz);
    assertThat(runs.runNow(RegistryHousekeepingJob.ID).outcome()).isEqualTo("SUCCESS");

    assertThat(registry.tags())
        .containsExactlyInAnyOrder(
            tag(running),
            tag(sharingRunningManifest),
            tag(finishedRecently),
            tag(justRegistered),
            "latest");
    assertThat(registry.deletions()).containsExactlyInAnyOrder("sha256:finished", "sha256:unknown");

    JobRuns.Run again = runs.runNow(RegistryHousekeepingJob.ID);
    assertThat(again.outcome()).isEqualTo("SUCCESS");
    assertThat(again.summary()).isEqualTo("examined 5 image tags, deleted 0");
    assertThat(registry.deletions()).hasSize(2);
  }

  private static String tag(String checksum) {
    return "function-" + checksum.substring(0, 16);
  }

  private static String checksum() {
    byte[] bytes = new byte[32];
    ThreadLocalRandom.current().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
