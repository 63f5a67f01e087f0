package org.substra.node.event.testing;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.substra.node.testing.TestBroker;

/** A direct connection to the test vhost, for what the tests do to queues behind the service. */
public final class Broker implements AutoCloseable {

  private final Connection connection;
  private final Channel channel;

  public Broker() {
    try {
      connection = TestBroker.connectionFactory().newConnection("event-service-tests");
      channel = connection.createChannel();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public Channel channel() {
    return channel;
  }

  /** Deletes the queues these tests own (leftovers of an earlier run). */
  public void deleteQueues(String... queues) throws IOException {
    for (String queue : queues) {
      channel.queueDelete(queue);
    }
  }

  /**
   * Waits until {@code queue} exists: the service declares its queues once connected, which may
   * come after the application reports started.
   */
  public void awaitQueue(String queue, java.time.Duration patience) {
    org.awaitility.Awaitility.await()
        .atMost(patience)
        .pollInterval(java.time.Duration.ofMillis(100))
        .ignoreExceptions()
        .until(
            () -> {
              // A failed passive declaration closes its channel: one channel per try.
              try (Channel probe = connection.createChannel()) {
                probe.queueDeclarePassive(queue);
                return true;
              }
            });
  }

  /** Takes every message waiting in {@code queue}. */
  public List<GetResponse> drain(String queue) throws IOException {
    List<GetResponse> messages = new ArrayList<>();
    for (GetResponse message = channel.basicGet(queue, true);
        message != null;
        message = channel.basicGet(queue, true)) {
      messages.add(message);
    }
    return messages;
  }

  @Override
  public void close() throws IOException {
    connection.abort(1000);
  }
}
