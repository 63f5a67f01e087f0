package org.substra.node.testing;

import com.rabbitmq.client.ConnectionFactory;

/**
 * Connections to the tests' virtual host of the local RabbitMQ, for what tests do to exchanges and
 * queues behind the service under test. Needs {@code com.rabbitmq:amqp-client} on the test's class
 * path (the services have it through {@code vertx-rabbitmq-client}).
 */
public final class TestBroker {

  private TestBroker() {}

  public static ConnectionFactory connectionFactory() {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost(LocalInfrastructure.RABBITMQ_HOST);
    factory.setPort(LocalInfrastructure.RABBITMQ_PORT);
    factory.setUsername(LocalInfrastructure.RABBITMQ_USER);
    factory.setPassword(LocalInfrastructure.RABBITMQ_PASSWORD);
    factory.setVirtualHost(LocalInfrastructure.RABBITMQ_TEST_VHOST);
    return factory;
  }
}
