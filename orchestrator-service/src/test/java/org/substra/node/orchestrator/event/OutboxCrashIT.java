package org.substra.node.orchestrator.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.substra.node.orchestrator.protocol.OrganizationServiceGrpc;
import org.substra.node.orchestrator.protocol.ProfilingServiceGrpc;
import org.substra.node.orchestrator.protocol.ProfilingStep;
import org.substra.node.orchestrator.protocol.RegisterOrganizationParam;
import org.substra.node.orchestrator.protocol.client.CallerIdentity;
import org.substra.node.testing.LocalInfrastructure;
import org.substra.node.testing.PackagedService;
import org.substra.node.testing.TestBroker;

/**
 * The outbox across a real crash: the packaged orchestrator is killed (SIGKILL) while clients
 * write; a restarted one publishes every committed event, in position order, none lost. A position
 * may arrive twice (committed, published, killed before marked): consumers skip it.
 */
class OutboxCrashIT {

  private static final String DATABASE = "orchestrator_test";
  private static final String JDBC =
      "jdbc:postgresql://"
          + LocalInfrastructure.HOST
          + ":"
          + LocalInfrastructure.POSTGRESQL_PORT
          + "/"
          + DATABASE;

  @Test
  void eventsCommittedBeforeAKillArePublishedByTheNextProcess() throws Exception {
    LocalInfrastructure.ensureRunning();
    truncate();
    List<Long> positions = new CopyOnWriteArrayList<>();
    try (Connection broker = TestBroker.connectionFactory().newConnection();
        Channel rabbit = broker.createChannel()) {
      rabbit.exchangeDeclare("orchestrator", "topic", true);
      String queue = rabbit.queueDeclare("", false, true, true, null).getQueue();
      rabbit.queueBind(queue, "orchestrator", "mychannel");
      rabbit.basicConsume(
          queue,
          true,
          (tag, message) ->
              positions.add(
                  ((Number) message.getProperties().getHeaders().get("position")).longValue()),
          tag -> {});

      Set<String> acknowledged = ConcurrentHashMap.newKeySet();
      OrchestratorProcess first = OrchestratorProcess.start("first");
      try {
        first.call(
            channel ->
                OrganizationServiceGrpc.newBlockingStub(channel)
                    .registerOrganization(RegisterOrganizationParam.getDefaultInstance()));
        Thread writer =
            new Thread(
                () -> {
                  try {
                    first.call(
                        channel -> {
                          var profiling = ProfilingServiceGrpc.newBlockingStub(channel);
                          for (int i = 0; i < 100_000; i++) {
                            String key = UUID.randomUUID().toString();
                            profiling.registerProfilingStep(
                                ProfilingStep.newBuilder()
                                    .setAssetKey(key)
                                    .setStep("crash")
                                    .setDuration(1)
                                    .build());
                            acknowledged.add(key);
                          }
                          return null;
                        });
                  } catch (StatusRuntimeException killed) {
                    // the process died under the writer: what was acknowledged is committed
                  }
                });
        writer.start();
        while (acknowledged.size() < 150) {
          Thread.sleep(5);
        }
        first.kill();
        writer.join(30_000);
      } finally {
        first.kill();
      }

      long committed = maxPosition();
      assertTrue(committed > acknowledged.size(), "every acknowledged write was committed");
      OrchestratorProcess second = OrchestratorProcess.start("second");
      try {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (firstSeen(positions).size() < committed && System.nanoTime() < deadline) {
          Thread.sleep(50);
        }
      } finally {
        second.kill();
      }
      List<Long> order = firstSeen(positions);
      assertEquals(committed, order.size(), "every committed event was published");
      for (int i = 0; i < order.size(); i++) {
        assertEquals(i + 1, order.get(i), "first deliveries come in position order");
      }
      assertEquals(0, unpublished(), "the new process marked everything published");
    }
  }

  private static List<Long> firstSeen(List<Long> positions) {
    List<Long> order = new ArrayList<>();
    Set<Long> seen = new java.util.HashSet<>();
    for (Long position : positions) {
      if (seen.add(position)) {
        order.add(position);
      }
    }
    return order;
  }

  private static void truncate() throws SQLException {
    sql(
        statement ->
            statement.execute(
                "DO $$ BEGIN IF to_regclass('events') IS NOT NULL THEN"
                    + " TRUNCATE organizations, events, functions, datamanagers, datasamples,"
                    + " datasample_datamanagers, compute_plans, compute_tasks,"
                    + " compute_task_parents, compute_task_output_assets, models, performances,"
                    + " failure_reports, publication_marks; END IF; END $$"));
  }

  private static long maxPosition() throws SQLException {
    return sql(
        statement ->
            single(
                statement.executeQuery(
                    "SELECT COALESCE(MAX(position), 0) FROM events WHERE channel = 'mychannel'")));
  }

  private static long unpublished() throws SQLException {
    return sql(
        statement ->
            single(
                statement.executeQuery(
                    "SELECT count(*) FROM events e JOIN publication_marks m ON m.channel = e.channel WHERE e.position > m.position")));
  }

  private static long single(ResultSet rows) throws SQLException {
    rows.next();
    return rows.getLong(1);
  }

  private interface Work<T> {
    T run(Statement statement) throws SQLException;
  }

  private static <T> T sql(Work<T> work) throws SQLException {
    try (var connection =
            DriverManager.getConnection(
                JDBC, LocalInfrastructure.DB_USER, LocalInfrastructure.DB_PASSWORD);
        Statement statement = connection.createStatement()) {
      return work.run(statement);
    }
  }

  /** The packaged orchestrator-service as a child process, with a gRPC client for it. */
  private static final class OrchestratorProcess {

    private final PackagedService service;
    private final int grpcPort;

    private OrchestratorProcess(PackagedService service, int grpcPort) {
      this.service = service;
      this.grpcPort = grpcPort;
    }

    static OrchestratorProcess start(String name) {
      int grpcPort = PackagedService.freePort();
      Map<String, String> settings =
          Map.of(
              "quarkus.grpc.server.port",
              String.valueOf(grpcPort),
              "quarkus.datasource.jdbc.url",
              JDBC,
              "quarkus.datasource.reactive.url",
              "postgresql://"
                  + LocalInfrastructure.HOST
                  + ":"
                  + LocalInfrastructure.POSTGRESQL_PORT
                  + "/"
                  + DATABASE,
              "node.rabbitmq.virtual-host",
              LocalInfrastructure.RABBITMQ_TEST_VHOST,
              "orchestrator.channels.mychannel",
              "MyOrg1MSP");
      PackagedService service =
          PackagedService.start(
              "orchestrator-service",
              settings,
              Path.of("target", "outbox-crash-" + name + ".log"),
              "/q/health/ready");
      return new OrchestratorProcess(service, grpcPort);
    }

    <T> T call(java.util.function.Function<io.grpc.Channel, T> calls) {
      Metadata headers = CallerIdentity.headers("MyOrg1MSP", "mychannel");
      ManagedChannel channel =
          ManagedChannelBuilder.forAddress("127.0.0.1", grpcPort).usePlaintext().build();
      try {
        return calls.apply(
            io.grpc.ClientInterceptors.intercept(
                channel, MetadataUtils.newAttachHeadersInterceptor(headers)));
      } finally {
        channel.shutdownNow();
      }
    }

    void kill() throws InterruptedException {
      service.kill();
    }
  }
}
