package org.substra.node.compute.work;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.substra.node.compute.testing.ComputeServiceProcess;
import org.substra.node.compute.testing.Dispatcher;
import org.substra.node.compute.testing.NetworkAndQueues;
import org.substra.node.orchestrator.protocol.ComputeTaskStatus;
import org.substra.node.testing.PackagedService;

/**
 * SIGKILL of the packaged compute-service while a function runs, then a restart: the unacknowledged
 * message comes back, the orchestrator still says EXECUTING, the orphaned process of the first run
 * is stopped and the task runs again to DONE. Never stuck.
 */
class CrashRecoveryIT extends NetworkAndQueues {

  static Path workDir = Path.of("target", "it-work").toAbsolutePath();

  @BeforeAll
  static void purge() throws Exception {
    queues.purge();
  }

  static PackagedService computeService() {
    return ComputeServiceProcess.start(workDir, Path.of("target", "compute-service-it.log"));
  }

  @Test
  void aKilledServiceRestartedFinishesTheTaskItWasRunning() throws Exception {
    PackagedService service = computeService();
    try {
      String slow = network.builtFunction(queues, "slow");
      var training = network.oneTaskPlan("crash", slow, "5");
      String plan = training.getComputePlanKey();
      Path logs = workDir.resolve(plan).resolve("logs").resolve(training.getKey() + ".log");

      try (Dispatcher dispatcher = new Dispatcher(network, queues, plan)) {
        ComputePlanTest.await(
            "the function running",
            Duration.ofSeconds(30),
            () -> ComputePlanTest.pid(logs).isPresent());
        long orphan = ComputePlanTest.pid(logs).orElseThrow();
        service.kill();
        assertThat(network.getTask(training.getKey()).getStatus())
            .isEqualTo(ComputeTaskStatus.STATUS_EXECUTING);

        assertThat(ProcessHandle.of(orphan).map(ProcessHandle::isAlive).orElse(false))
            .as("the first run's process outlives the killed service")
            .isTrue();

        service = computeService();
        ComputePlanTest.await(
            "the task running again",
            Duration.ofSeconds(30),
            () -> ComputePlanTest.pid(logs).filter(pid -> pid != orphan).isPresent());
        // the first run would sleep for 10 s more: it was stopped, not left to write its outputs
        assertThat(ProcessHandle.of(orphan).map(ProcessHandle::isAlive).orElse(false))
            .as("the first run's process")
            .isFalse();
        ComputePlanTest.await(
            "task done after the restart",
            Duration.ofSeconds(60),
            () -> network.getTask(training.getKey()).getStatus() == ComputeTaskStatus.STATUS_DONE);
        assertThat(network.models(training.getKey())).hasSize(1);
      }
    } finally {
      service.close();
    }
  }
}
