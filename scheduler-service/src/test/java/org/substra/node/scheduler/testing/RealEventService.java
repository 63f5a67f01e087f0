package org.substra.node.scheduler.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.substra.node.testing.LocalInfrastructure;
import org.substra.node.testing.PackagedService;

/**
 * The packaged event-service (reconciliation repairs go through it), on the test database and
 * {@link RealOrchestrator}. Its HTTP port is chosen when the test application is configured, but it
 * starts on {@link #start()} from the test: the orchestrator's port is only known then.
 *
 * <p>It consumes an exchange nothing publishes to and never runs its idle catch-up: the read model
 * changes only through the repairs the test asks for, not through the orchestrator's events.
 */
public class RealEventService implements QuarkusTestResourceLifecycleManager {

  private static final String PREFIX = "sched-test.repair.";
  private static int httpPort;

  @Override
  public Map<String, String> start() {
    httpPort = PackagedService.freePort();
    return Map.of("scheduler.reconciliation.event-service-url", "http://127.0.0.1:" + httpPort);
  }

  @Override
  public void stop() {}

  /** Starts event-service and waits until it is ready; close it at the end of the test. */
  public static PackagedService startService() {
    String database =
        LocalInfrastructure.HOST
            + ":"
            + LocalInfrastructure.POSTGRESQL_PORT
            + "/substra_test"
            + System.getenv().getOrDefault("NODE_TEST_DB_SUFFIX", "");
    Map<String, String> settings = new HashMap<>();
    settings.put("quarkus.datasource.reactive.url", "postgresql://" + database);
    settings.put("quarkus.datasource.jdbc.url", "jdbc:postgresql://" + database);
    settings.put(
        "quarkus.grpc.clients.orchestrator.port", String.valueOf(RealOrchestrator.grpcPort()));
    settings.put("node.rabbitmq.virtual-host", LocalInfrastructure.RABBITMQ_TEST_VHOST);
    settings.put("events.consumption.exchange", PREFIX + "silent");
    settings.put("events.consumption.queue", PREFIX + "event-service");
    settings.put("events.consumption.idle-check-interval", "24h");
    settings.put("events.dispatch.exchange", PREFIX + "compute");
    settings.put("events.dispatch.build-queue", PREFIX + "compute.builds");
    settings.put("events.dispatch.task-queue-prefix", PREFIX + "compute.tasks");
    return PackagedService.start(
        "event-service",
        settings,
        Path.of("target", "reconciliation-event-service.log"),
        "/q/health/ready",
        httpPort);
  }
}
