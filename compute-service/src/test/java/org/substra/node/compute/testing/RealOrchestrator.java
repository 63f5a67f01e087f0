package org.substra.node.compute.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Points the service's orchestrator client at the real orchestrator of this JVM. */
public class RealOrchestrator implements QuarkusTestResourceLifecycleManager {

  @Override
  public Map<String, String> start() {
    String port = String.valueOf(OrchestratorProcess.get().grpcPort());
    return Map.of(
        "quarkus.grpc.clients.orchestrator.host", "127.0.0.1",
        "quarkus.grpc.clients.orchestrator.port", port,
        "quarkus.grpc.clients.orchestrator.test-port", port);
  }

  @Override
  public void stop() {
    // the process outlives one application start: it stops with the JVM
  }
}
