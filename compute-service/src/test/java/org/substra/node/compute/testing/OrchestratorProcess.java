package org.substra.node.compute.testing;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.substra.node.testing.PackagedService;

/**
 * The real orchestrator-service, launched from its packaged jar as a child process, once per test
 * JVM: database {@code orchestrator_compute_test} (emptied at start), the test vhost, an exchange
 * of its own ({@code compute-test.orchestrator}) so that no other test run sees its events.
 */
public final class OrchestratorProcess {

  public static final String DATABASE = "orchestrator_compute_test";

  private final PackagedService service;
  private final int grpcPort;

  private OrchestratorProcess(PackagedService service, int grpcPort) {
    this.service = service;
    this.grpcPort = grpcPort;
  }

  public static OrchestratorProcess get() {
    PackagedService service =
        PackagedService.shared("compute-service-tests.orchestrator", OrchestratorProcess::start);
    return new OrchestratorProcess(
        service, Integer.parseInt(service.setting("quarkus.grpc.server.port")));
  }

  public int grpcPort() {
    return grpcPort;
  }

  private static PackagedService start() {
    int grpcPort = PackagedService.freePort();
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("quarkus.grpc.server.port", String.valueOf(grpcPort));
    settings.put("quarkus.datasource.reactive.url", "postgresql://127.0.0.1:5432/" + DATABASE);
    settings.put("quarkus.datasource.jdbc.url", "jdbc:postgresql://127.0.0.1:5432/" + DATABASE);
    settings.put("quarkus.flyway.clean-disabled", "false");
    settings.put("quarkus.flyway.clean-at-start", "true");
    settings.put("node.rabbitmq.virtual-host", "substra_test");
    settings.put("orchestrator.events.exchange", "compute-test.orchestrator");
    settings.put("orchestrator.channels.mychannel", "MyOrg1MSP,MyOrg2MSP");
    return PackagedService.start(
        "orchestrator-service",
        settings,
        Path.of("target", "orchestrator-process.log"),
        "/q/health/ready");
  }
}
