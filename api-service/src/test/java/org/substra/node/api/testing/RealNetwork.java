package org.substra.node.api.testing;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.substra.node.testing.PackagedService;
import org.substra.node.testing.TestOrchestrator;

/**
 * The peers a registration needs, as real processes: our orchestrator (its own database, emptied at
 * start, and its own exchange) and event-service projecting its events into the read model of the
 * api-service under test, so that read-your-writes is tested as it happens on a node. {@code
 * MyOrg2MSP} joins the channel too, for permission tests.
 */
public class RealNetwork implements QuarkusTestResourceLifecycleManager {

  public static final String CHANNEL = "mychannel";
  public static final String OTHER_ORGANIZATION = "MyOrg2MSP";

  private static final String SUFFIX = System.getenv().getOrDefault("NODE_TEST_DB_SUFFIX", "");
  private static final String ORCHESTRATOR_DATABASE = "orchestrator_api_test" + SUFFIX;
  private static final String READ_MODEL_DATABASE = "substra_test" + SUFFIX;
  private static final String PREFIX = "api-test" + SUFFIX;

  private static int grpcPort;

  private PackagedService orchestrator;
  private PackagedService events;

  @Override
  public Map<String, String> start() {
    orchestrator =
        TestOrchestrator.start(
            ORCHESTRATOR_DATABASE,
            PREFIX + ".orchestrator",
            Path.of("target", "real-network-orchestrator.log"));
    grpcPort = TestOrchestrator.grpcPort(orchestrator);
    join(grpcPort, OTHER_ORGANIZATION);

    Map<String, String> eventSettings = new LinkedHashMap<>();
    database(eventSettings, READ_MODEL_DATABASE);
    eventSettings.put("node.rabbitmq.virtual-host", "substra_test");
    eventSettings.put("quarkus.grpc.clients.orchestrator.port", String.valueOf(grpcPort));
    eventSettings.put("events.consumption.exchange", PREFIX + ".orchestrator");
    eventSettings.put("events.consumption.queue", PREFIX + ".events");
    eventSettings.put("events.dispatch.exchange", PREFIX + ".compute");
    eventSettings.put("events.dispatch.build-queue", PREFIX + ".builds");
    eventSettings.put("events.dispatch.task-queue-prefix", PREFIX + ".tasks");
    events =
        PackagedService.start(
            "event-service",
            eventSettings,
            Path.of("target", "real-network-event-service.log"),
            "/q/health/ready");

    return Map.of(
        "quarkus.grpc.clients.orchestrator.port",
        String.valueOf(grpcPort),
        "quarkus.grpc.clients.orchestrator.test-port",
        String.valueOf(grpcPort));
  }

  /** The orchestrator's gRPC port, for tests that act as compute-service. */
  public static int grpcPort() {
    return grpcPort;
  }

  @Override
  public void stop() {
    if (events != null) {
      events.close();
    }
    if (orchestrator != null) {
      orchestrator.close();
    }
  }

  private static void database(Map<String, String> settings, String database) {
    settings.put("quarkus.datasource.reactive.url", "postgresql://127.0.0.1:5432/" + database);
    settings.put("quarkus.datasource.jdbc.url", "jdbc:postgresql://127.0.0.1:5432/" + database);
    settings.put("quarkus.flyway.clean-disabled", "false");
    settings.put("quarkus.flyway.clean-at-start", "true");
  }

  private static void join(int port, String organization) {
    ManagedChannel channel =
        ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    try {
      TestOrchestrator.join(channel, organization);
    } finally {
      channel.shutdownNow();
    }
  }
}
