package org.substra.node.event.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Points the service's orchestrator client at the real orchestrator-service of this JVM ({@link
 * OrchestratorProcess}), and removes the queues an earlier run left with events of another
 * orchestrator database.
 */
public class RealOrchestrator implements QuarkusTestResourceLifecycleManager {

  public static final String QUEUE = "events-test.MyOrg1MSP";
  public static final String WORK_EXCHANGE = "events-test.compute";
  public static final String BUILD_QUEUE = "events-test.compute.builds";
  public static final String TASK_QUEUE_PREFIX = "events-test.compute.tasks";

  private static boolean cleaned;

  @Override
  public Map<String, String> start() {
    OrchestratorProcess orchestrator = OrchestratorProcess.get();
    synchronized (RealOrchestrator.class) {
      if (!cleaned) {
        try (Broker broker = new Broker()) {
          broker.deleteQueues(
              QUEUE,
              QUEUE + ".dlq",
              BUILD_QUEUE,
              TASK_QUEUE_PREFIX + ".0",
              TASK_QUEUE_PREFIX + ".1");
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
        cleaned = true;
      }
    }
    String port = String.valueOf(orchestrator.grpcPort());
    return Map.of(
        "quarkus.grpc.clients.orchestrator.host", "127.0.0.1",
        "quarkus.grpc.clients.orchestrator.port", port,
        "quarkus.grpc.clients.orchestrator.test-port", port);
  }

  @Override
  public void stop() {
    // The process outlives one application start: it stops with the JVM.
  }
}
