package org.substra.node.compute.work;

import static org.assertj.core.api.Assertions.assertThat;
import static org.substra.node.compute.testing.TestNetwork.modelTask;
import static org.substra.node.compute.testing.TestNetwork.task;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.substra.node.compute.testing.Dispatcher;
import org.substra.node.compute.testing.NetworkAndQueues;
import org.substra.node.compute.testing.RealOrchestrator;
import org.substra.node.orchestrator.protocol.ComputeTaskStatus;
import org.substra.node.testing.Dependency;
import org.substra.node.testing.WithLocalDependencies;

/**
 * worker-spec §2.2 with {@code compute.concurrency=2}: tasks of different plans run at the same
 * time, two tasks of one plan never do, even when both are ready.
 */
@QuarkusTest
@TestProfile(PlanConcurrencyTest.TwoPlansAtOnce.class)
@WithLocalDependencies({Dependency.RABBITMQ, Dependency.OBJECT_STORAGE})
@WithTestResource(RealOrchestrator.class)
class PlanConcurrencyTest extends NetworkAndQueues {

  public static class TwoPlansAtOnce implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("compute.concurrency", "2");
    }
  }

  record Interval(double start, double end) {
    boolean overlaps(Interval other) {
      return start < other.end && other.start < end;
    }
  }

  static Interval interval(String plan, String task) throws Exception {
    String logs = Files.readString(Path.of("target", "work", plan, "logs", task + ".log"));
    Matcher started = Pattern.compile("started (\\d+\\.\\d+)").matcher(logs);
    Matcher ended = Pattern.compile("ended (\\d+\\.\\d+)").matcher(logs);
    assertThat(started.find() && ended.find()).as("times in " + logs).isTrue();
    return new Interval(Double.parseDouble(started.group(1)), Double.parseDouble(ended.group(1)));
  }

  @Test
  void plansRunSideBySideTheirTasksOneByOne() throws Exception {
    queues.purge();
    String nap = network.builtFunction(queues, "nap");
    String dataManager = network.dataManager();
    String sample = network.dataSample(dataManager, "1", null);
    String planA = network.plan("a");
    String planB = network.plan("b");
    // two tasks of plan A with no parent: both ready at once
    var a1 = modelTask(planA, nap, dataManager, sample);
    var a2 = modelTask(planA, nap, dataManager, sample);
    var b1 = modelTask(planB, nap, dataManager, sample);
    network.register(a1, a2);
    network.register(b1);

    try (Dispatcher plansA = new Dispatcher(network, queues, planA);
        Dispatcher plansB = new Dispatcher(network, queues, planB)) {
      for (var task : new String[] {a1.getKey(), a2.getKey(), b1.getKey()}) {
        ComputePlanTest.await(
            "task done",
            Duration.ofSeconds(60),
            () -> network.getTask(task).getStatus() == ComputeTaskStatus.STATUS_DONE);
      }
    }
    Interval first = interval(planA, a1.getKey());
    Interval second = interval(planA, a2.getKey());
    Interval other = interval(planB, b1.getKey());
    assertThat(first.overlaps(second)).as("two tasks of one plan at once").isFalse();
    assertThat(other.overlaps(first) || other.overlaps(second))
        .as("a task of another plan alongside")
        .isTrue();
  }
}
