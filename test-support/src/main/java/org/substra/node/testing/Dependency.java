package org.substra.node.testing;

import java.util.Map;

/** A dependency a service reaches over the network, and the settings that point it there. */
public enum Dependency {
  POSTGRESQL("Reactive PostgreSQL connections health check"),
  RABBITMQ("RabbitMQ"),
  OBJECT_STORAGE("Object storage"),
  ORCHESTRATOR("Orchestrator");

  private final String checkName;

  Dependency(String checkName) {
    this.checkName = checkName;
  }

  /** The name of the readiness check that reports this dependency. */
  public String checkName() {
    return checkName;
  }

  /** Configuration that sends the service to {@code port} on loopback, for this dependency. */
  Map<String, String> settings(int port, String database) {
    return switch (this) {
      case POSTGRESQL ->
          Map.of(
              "quarkus.datasource.reactive.url",
              "postgresql://127.0.0.1:" + port + "/" + database,
              "quarkus.datasource.jdbc.url",
              "jdbc:postgresql://127.0.0.1:" + port + "/" + database,
              "quarkus.datasource.username",
              LocalInfrastructure.DB_USER,
              "quarkus.datasource.password",
              LocalInfrastructure.DB_PASSWORD);
      case RABBITMQ ->
          Map.of(
              "node.rabbitmq.host", "127.0.0.1",
              "node.rabbitmq.port", String.valueOf(port),
              "node.rabbitmq.username", LocalInfrastructure.RABBITMQ_USER,
              "node.rabbitmq.password", LocalInfrastructure.RABBITMQ_PASSWORD,
              "node.rabbitmq.virtual-host", LocalInfrastructure.RABBITMQ_TEST_VHOST);
      case OBJECT_STORAGE ->
          Map.of(
              "quarkus.minio.host", "http://127.0.0.1:" + port,
              "quarkus.minio.access-key", LocalInfrastructure.S3_ACCESS_KEY,
              "quarkus.minio.secret-key", LocalInfrastructure.S3_SECRET_KEY);
      case ORCHESTRATOR ->
          Map.of(
              "quarkus.grpc.clients.orchestrator.host",
              "127.0.0.1",
              "quarkus.grpc.clients.orchestrator.port",
              String.valueOf(port),
              // In the test profile the client would otherwise dial its own test-port default.
              "quarkus.grpc.clients.orchestrator.test-port",
              String.valueOf(port));
    };
  }
}
