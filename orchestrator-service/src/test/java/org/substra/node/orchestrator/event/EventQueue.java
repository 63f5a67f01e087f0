package org.substra.node.orchestrator.event;

import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.substra.node.testing.TestBroker;

/** A temporary queue on the test vhost, bound to the events exchange for one channel. */
final class EventQueue implements AutoCloseable {

  private final Connection connection;
  private final Channel channel;
  private final String queue;

  EventQueue(String eventChannel) throws Exception {
    connection = TestBroker.connectionFactory().newConnection();
    channel = connection.createChannel();
    channel.exchangeDeclare("orchestrator", BuiltinExchangeType.TOPIC, true);
    queue = channel.queueDeclare().getQueue();
    channel.queueBind(queue, "orchestrator", eventChannel);
  }

  /** The next message, or null when the queue is empty. */
  GetResponse poll() throws Exception {
    return channel.basicGet(queue, true);
  }

  /** Waits for {@code count} messages; returns fewer if they do not come within 10 s. */
  List<GetResponse> receive(int count) throws Exception {
    List<GetResponse> received = new ArrayList<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (received.size() < count && System.nanoTime() < deadline) {
      GetResponse message = poll();
      if (message == null) {
        Thread.sleep(50);
      } else {
        received.add(message);
      }
    }
    return received;
  }

  @Override
  public void close() throws Exception {
    connection.close();
  }
}
