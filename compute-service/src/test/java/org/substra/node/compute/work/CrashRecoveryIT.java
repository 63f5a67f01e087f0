package org.substra.node.compute.work;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
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
      Path pidFile = workDir.resolve(plan).resolve("process.pid");

      try (Dispatcher dispatcher = new Dispatcher(network, queues, plan)) {
        ComputePlanTest.await(
            "the function running", Duration.ofSeconds(30), () -> hostPid(pidFile).isPresent());
        ProcessHandle first = ProcessHandle.of(hostPid(pidFile).orElseThrow()).orElseThrow();
        List<ProcessHandle> sandbox = Stream.concat(Stream.of(first), first.descendants()).toList();
        service.kill();
        assertThat(network.getTask(training.getKey()).getStatus())
            .isEqualTo(ComputeTaskStatus.STATUS_EXECUTING);
        // the sandbox dies with the service that started it: the first run writes no output
        ComputePlanTest.await(
            "the first run's sandbox gone with the service",
            Duration.ofSeconds(10),
            () -> sandbox.stream().noneMatch(ProcessHandle::isAlive));

        service = computeService();
        ComputePlanTest.await(
            "the task running again",
            Duration.ofSeconds(30),
            () -> hostPid(pidFile).filter(pid -> pid != first.pid()).isPresent());
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

  /** The host pid of the plan's running sandbox, as the executor records it. */
  static java.util.Optional<Long> hostPid(Path pidFile) {
    try {
      return java.util.Optional.of(Long.parseLong(Files.readString(pidFile).trim()));
    } catch (java.io.IOException | NumberFormatException e) {
      return java.util.Optional.empty();
    }
  }
}
