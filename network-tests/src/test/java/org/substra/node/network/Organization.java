package org.substra.node.network;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.substra.node.testing.LocalInfrastructure;
import org.substra.node.testing.PackagedService;

/**
 * One organization's node as real processes from the packaged jars: api-service, event-service,
 * compute-service (local executor) and org-link-service, with its own database, work queues, work
 * folder, object store and accounts folder; the orchestrator is shared by the channel.
 */
final class Organization implements AutoCloseable {

  static final String CHANNEL = "mychannel";
  static final String PASSWORD = "p@sswr0d44";

  final String mspId;
  final String username;
  final Path home;
  final Path accounts;
  final int apiPort = PackagedService.freePort();
  final String selfSecret;

  private final String database;
  private final String queuePrefix;
  private final int s3Port;
  private final int grpcPort;
  private final String orchestratorExchange;
  private final List<PackagedService> services = new ArrayList<>();
  private PackagedService api;
  private PackagedService orgLink;

  Organization(
      int index,
      Path root,
      String databaseSuffix,
      int s3Port,
      int grpcPort,
      String orchestratorExchange) {
    this.mspId = "MyOrg" + index + "MSP";
    this.username = "org-" + index;
    this.home = root.resolve(username);
    this.accounts = home.resolve("accounts");
    this.selfSecret = "self-secret-of-" + username;
    this.database = "network_test_org" + index + databaseSuffix;
    this.queuePrefix = "network-test" + databaseSuffix + "." + username;
    this.s3Port = s3Port;
    this.grpcPort = grpcPort;
    this.orchestratorExchange = orchestratorExchange;
    try {
      Files.createDirectories(accounts);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String url() {
    return "http://127.0.0.1:" + apiPort;
  }

  String database() {
    return database;
  }

  int orgLinkPort() {
    return orgLink.httpPort();
  }

  /** Starts the four services; {@code modelExport} is the channel's model_export_enabled. */
  void start(boolean modelExport) {
    startApi(modelExport);
    Map<String, String> events = common();
    events.put("events.msp-id", mspId);
    events.put("events.consumption.exchange", orchestratorExchange);
    events.put("events.consumption.queue", queuePrefix + ".events");
    events.put("events.dispatch.exchange", queuePrefix + ".compute");
    events.put("events.dispatch.build-queue", queuePrefix + ".builds");
    events.put("events.dispatch.task-queue-prefix", queuePrefix + ".tasks");
    services.add(
        PackagedService.start("event-service", events, log("event-service"), "/q/health/ready"));

    Map<String, String> link = common();
    link.put("org-link.msp-id", mspId);
    link.put("org-link.accounts-dir", accounts.toString());
    // Quick enough for the configuration-change test to see a rewrite within seconds.
    link.put("org-link.accounts-poll-interval", "1s");
    link.put("org-link.incoming-hash-iterations", "1000");
    link.put("org-link.self-secret", selfSecret);
    orgLink =
        PackagedService.start("org-link-service", link, log("org-link-service"), "/q/health/ready");
    services.add(orgLink);

    Map<String, String> compute = common();
    compute.put("compute.executor", "local");
    compute.put("compute.work-dir", home.resolve("work").toString());
    // the same folder as api-service's: samples registered by path are checked again there
    compute.put("compute.data-sample-root", home.resolve("servermedias").toString());
    compute.put("compute.api-url", url());
    compute.put("compute.org-link.self-secret", selfSecret);
    compute.put("compute.work.exchange", queuePrefix + ".compute");
    compute.put("compute.work.build-queue", queuePrefix + ".builds");
    compute.put("compute.work.task-queue-prefix", queuePrefix + ".tasks");
    compute.put("compute.work.replica-index", "0");
    compute.put("compute.work.retry-delay", "500ms");
    services.add(
        PackagedService.start(
            "compute-service", compute, log("compute-service"), "/q/health/ready"));
  }

  /** (Re)starts api-service alone, e.g. with another export setting. */
  void startApi(boolean modelExport) {
    Map<String, String> settings = common();
    settings.put("api.host", url());
    // Each node its own web-login key: api-service starts with none by default.
    settings.put("api.jwt.secret", "network-test-jwt-secret-of-" + username + "-0123456789abcdef");
    settings.put("api.first-user.username", username);
    settings.put("api.first-user.password", PASSWORD);
    settings.put("api.channels." + CHANNEL + ".model-export-enabled", String.valueOf(modelExport));
    settings.put("api.uploads.data-sample-root", home.resolve("servermedias").toString());
    api =
        PackagedService.start(
            "api-service", settings, log("api-service"), "/q/health/ready", apiPort);
  }

  void stopApi() {
    if (api != null) {
      api.close();
      api = null;
    }
  }

  /** The settings every service of this organization shares. */
  private Map<String, String> common() {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("node.msp-id", mspId);
    settings.put("node.organization-name", username);
    settings.put("node.default-domain", url());
    settings.put(
        "quarkus.datasource.reactive.url",
        "postgresql://"
            + LocalInfrastructure.HOST
            + ":"
            + LocalInfrastructure.POSTGRESQL_PORT
            + "/"
            + database);
    settings.put(
        "quarkus.datasource.jdbc.url",
        "jdbc:postgresql://"
            + LocalInfrastructure.HOST
            + ":"
            + LocalInfrastructure.POSTGRESQL_PORT
            + "/"
            + database);
    settings.put("node.rabbitmq.virtual-host", LocalInfrastructure.RABBITMQ_TEST_VHOST);
    settings.put("quarkus.minio.host", "http://127.0.0.1:" + s3Port);
    settings.put("quarkus.grpc.clients.orchestrator.port", String.valueOf(grpcPort));
    return settings;
  }

  private Path log(String service) {
    return Path.of("target", "network", username + "-" + service + ".log");
  }

  void writeAccounts(String file, String... lines) {
    try {
      Path temporary = accounts.resolve("." + file + ".tmp");
      Files.writeString(temporary, String.join("\n", lines) + "\n");
      // Renamed into place so that a poll never reads half a file.
      Files.move(temporary, accounts.resolve(file), StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    stopApi();
    for (int i = services.size() - 1; i >= 0; i--) {
      services.get(i).close();
    }
    services.clear();
  }
}
