package org.substra.node.health.rabbitmq;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.quarkus.arc.properties.IfBuildProperty;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.Map;
import org.eclipse.microprofile.health.Readiness;
import org.substra.node.health.BlockingDependencyCheck;
import org.substra.node.health.HealthConfig;

/**
 * Keeps one AMQP connection open and reports DOWN as soon as the broker drops it; the next probe
 * reconnects, so the service comes back UP after a broker restart without being restarted itself.
 */
@Readiness
@Singleton
@IfBuildProperty(name = "node.health.rabbitmq.enabled", stringValue = "true")
public class RabbitMqReadinessCheck extends BlockingDependencyCheck {

  private final RabbitMqConfig config;
  private final ConnectionFactory factory;
  private Connection connection;

  RabbitMqReadinessCheck(RabbitMqConfig config, HealthConfig health) {
    super(health);
    this.config = config;
    factory = new ConnectionFactory();
    factory.setHost(config.host());
    factory.setPort(config.port());
    factory.setUsername(config.username());
    factory.setPassword(config.password());
    factory.setVirtualHost(config.virtualHost());
    int timeoutMillis = (int) health.timeout().toMillis();
    factory.setConnectionTimeout(timeoutMillis);
    factory.setHandshakeTimeout(timeoutMillis);
    factory.setShutdownTimeout(0);
    // A silent network loss is noticed within two heartbeats.
    factory.setRequestedHeartbeat(5);
    factory.setAutomaticRecoveryEnabled(false);
  }

  @Override
  protected String dependency() {
    return "RabbitMQ";
  }

  @Override
  protected String address() {
    return config.host() + ":" + config.port() + "/" + config.virtualHost();
  }

  @Override
  protected synchronized Map<String, String> probe() throws Exception {
    if (connection == null || !connection.isOpen()) {
      closeConnection();
      connection = factory.newConnection("readiness-check");
    }
    return Map.of(
        "server-version", String.valueOf(connection.getServerProperties().get("version")));
  }

  @PreDestroy
  synchronized void closeConnection() {
    if (connection != null) {
      connection.abort(1000);
      connection = null;
    }
  }
}
