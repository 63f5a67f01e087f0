package org.substra.node.compute.testing;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.substra.node.testing.LocalInfrastructure;
import org.substra.node.testing.PackagedService;

/** The packaged compute-service with the local executor, on the test queues and orchestrator. */
public final class ComputeServiceProcess {

  private ComputeServiceProcess() {}

  public static PackagedService start(Path workDir, Path log) {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("compute.executor", "local");
    settings.put("compute.work-dir", workDir.toAbsolutePath().toString());
    settings.put("compute.work.exchange", WorkQueues.EXCHANGE);
    settings.put("compute.work.build-queue", WorkQueues.BUILD_QUEUE);
    settings.put("compute.work.task-queue-prefix", WorkQueues.TASK_QUEUE_PREFIX);
    settings.put("compute.work.replica-index", "0");
    settings.put("node.rabbitmq.virtual-host", LocalInfrastructure.RABBITMQ_TEST_VHOST);
    settings.put("quarkus.minio.host", "http://127.0.0.1:" + LocalInfrastructure.S3_PORT);
    settings.put(
        "quarkus.grpc.clients.orchestrator.port",
        String.valueOf(OrchestratorProcess.get().grpcPort()));
    // the benchmark reads when each process started from these lines
    settings.put("quarkus.log.category.\"org.substra.node.compute.task\".level", "DEBUG");
    settings.put("quarkus.log.category.\"org.substra.node.compute.executor.local\".level", "DEBUG");
    return PackagedService.start("compute-service", settings, log, "/q/health/live");
  }
}
