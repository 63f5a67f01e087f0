package org.substra.node.testing;

import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.substra.node.orchestrator.protocol.OrganizationServiceGrpc;
import org.substra.node.orchestrator.protocol.RegisterOrganizationParam;
import org.substra.node.orchestrator.protocol.client.CallerIdentity;

/**
 * The real orchestrator-service of a test suite, run from its packaged jar: its own database
 * (emptied at start), the test vhost, an exchange of its own so that no other suite sees its
 * events, and channel {@value #CHANNEL} of MyOrg1MSP and MyOrg2MSP.
 */
public final class TestOrchestrator {

  public static final String CHANNEL = "mychannel";

  private static final String GRPC_PORT = "quarkus.grpc.server.port";

  private TestOrchestrator() {}

  /** A new orchestrator on free ports, ready when this returns. */
  public static PackagedService start(String database, String exchange, Path log) {
    String server = LocalInfrastructure.HOST + ":" + LocalInfrastructure.POSTGRESQL_PORT + "/";
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put(GRPC_PORT, String.valueOf(PackagedService.freePort()));
    settings.put("quarkus.datasource.reactive.url", "postgresql://" + server + database);
    settings.put("quarkus.datasource.jdbc.url", "jdbc:postgresql://" + server + database);
    settings.put("quarkus.flyway.clean-disabled", "false");
    settings.put("quarkus.flyway.clean-at-start", "true");
    settings.put("node.rabbitmq.virtual-host", LocalInfrastructure.RABBITMQ_TEST_VHOST);
    settings.put("orchestrator.events.exchange", exchange);
    settings.put("orchestrator.channels." + CHANNEL, "MyOrg1MSP,MyOrg2MSP");
    return PackagedService.start("orchestrator-service", settings, log, "/q/health/ready");
  }

  /**
   * The one orchestrator of this JVM on {@code database}, shared by every Quarkus application of
   * the test run (see {@link PackagedService#shared}); its output goes to {@code
   * target/orchestrator-process.log}.
   */
  public static PackagedService shared(String database, String exchange) {
    return PackagedService.shared(
        "orchestrator." + database,
        () -> start(database, exchange, Path.of("target", "orchestrator-process.log")));
  }

  public static int grpcPort(PackagedService orchestrator) {
    return Integer.parseInt(orchestrator.setting(GRPC_PORT));
  }

  /**
   * Registers {@code organization} in {@link #CHANNEL}, at {@code http://<its name in lower
   * case>.example:8000}; an organization already registered (an earlier test of this orchestrator
   * database) is left as it is.
   */
  public static void join(Channel orchestrator, String organization) {
    try {
      CallerIdentity.as(
              OrganizationServiceGrpc.newBlockingStub(orchestrator), organization, CHANNEL)
          .withDeadlineAfter(20, TimeUnit.SECONDS)
          .registerOrganization(
              RegisterOrganizationParam.newBuilder()
                  .setAddress("http://" + organization.toLowerCase() + ".example:8000")
                  .build());
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() != Status.Code.ALREADY_EXISTS) {
        throw e;
      }
    }
  }
}
