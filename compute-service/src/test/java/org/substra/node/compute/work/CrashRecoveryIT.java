package org.substra.node.compute.work;

import static org.assertj.core.api.Assertions.assertThat;
import static org.substra.node.compute.testing.TestNetwork.asset;
import static org.substra.node.compute.testing.TestNetwork.dataInputs;
import static org.substra.node.compute.testing.TestNetwork.output;
import static org.substra.node.compute.testing.TestNetwork.task;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.substra.node.compute.testing.ComputeServiceProcess;
import org.substra.node.compute.testing.Dispatcher;
import org.substra.node.compute.testing.TestNetwork;
import org.substra.node.compute.testing.WorkQueues;
import org.substra.node.orchestrator.protocol.AssetKind;
import org.substra.node.orchestrator.protocol.ComputeTaskStatus;
import org.substra.node.orchestrator.protocol.FunctionStatus;
import org.substra.node.testing.PackagedService;

/**
 * SIGKILL of the packaged compute-service while a function runs, then a restart: the unacknowledged
 * message comes back, the orchestrator still says EXECUTING, the orphaned process of the first run
 * is stopped and the task runs again to DONE. Never stuck.
 */
class CrashRecoveryIT {

  static TestNetwork network;
  static WorkQueues queues;
  static Path workDir = Path.of("target", "it-work").toAbsolutePath();

  @BeforeAll
  static void connect() throws Exception {
    network = new TestNetwork();
    queues = new WorkQueues();
    queues.purge();
  }

  @AfterAll
  static void disconnect() throws Exception {
    queues.close();
    network.close();
  }

  static PackagedService computeService() {
    return ComputeServiceProcess.start(workDir, Path.of("target", "compute-service-it.log"));
  }

  @Test
  void aKilledServiceRestartedFinishesTheTaskItWasRunning() throws Exception {
    PackagedService service = computeService();
    try {
      String slow =
          network.function(
              "slow",
              TestNetwork.functionArchive("slow"),
              dataInputs(),
              Map.of("model", output(AssetKind.ASSET_MODEL)));
      queues.build(TestNetwork.CHANNEL, slow, TestNetwork.ORG1);
      ComputePlanTest.await(
          "function ready",
          Duration.ofSeconds(30),
          () -> network.getFunction(slow).getStatus() == FunctionStatus.FUNCTION_STATUS_READY);
      String dataManager = network.dataManager();
      String sample = network.dataSample(dataManager, "5", null);
      String plan = network.plan("crash");
      var training =
          task(plan, slow, "model")
              .addInputs(asset("opener", dataManager))
              .addInputs(asset("datasamples", sample));
      network.register(training);
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
