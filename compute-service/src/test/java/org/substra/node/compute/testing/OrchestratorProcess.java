package org.substra.node.compute.testing;

import org.substra.node.testing.TestOrchestrator;

/**
 * The real orchestrator-service of compute-service's tests, once per test JVM: database {@code
 * orchestrator_compute_test} (emptied at start), an exchange of its own ({@code
 * compute-test.orchestrator}) so that no other test run sees its events.
 */
public final class OrchestratorProcess {

  public static final String DATABASE = "orchestrator_compute_test";

  private final int grpcPort;

  private OrchestratorProcess(int grpcPort) {
    this.grpcPort = grpcPort;
  }

  public static OrchestratorProcess get() {
    return new OrchestratorProcess(
        TestOrchestrator.grpcPort(TestOrchestrator.shared(DATABASE, "compute-test.orchestrator")));
  }

  public int grpcPort() {
    return grpcPort;
  }
}
