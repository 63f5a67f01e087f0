package org.substra.node.event.consumption;

import com.google.protobuf.InvalidProtocolBufferException;
import io.smallrye.reactive.messaging.rabbitmq.IncomingRabbitMQMetadata;
import io.vertx.core.buffer.Buffer;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;
import org.substra.node.orchestrator.protocol.Event;

/**
 * Receives the orchestrator's events from this node's queue (orchestrator-service README: body =
 * binary {@code orchestrator.Event}, header {@code position}) and hands them to the projection in
 * delivery order. A message that is not such an event is rejected to the dead-letter queue with a
 * log line: it cannot block the queue, and the event it should have been comes back through the gap
 * repair.
 */
@ApplicationScoped
public class OrchestratorEventConsumer {

  private static final Logger LOG = Logger.getLogger(OrchestratorEventConsumer.class);

  private final ProjectionLoop loop;

  OrchestratorEventConsumer(ProjectionLoop loop) {
    this.loop = loop;
  }

  @Incoming("orchestrator-events")
  public CompletionStage<Void> receive(Message<?> message) {
    ReceivedEvent event;
    try {
      event = parse(message);
    } catch (IllegalArgumentException | InvalidProtocolBufferException e) {
      Optional<IncomingRabbitMQMetadata> metadata =
          message.getMetadata(IncomingRabbitMQMetadata.class);
      LOG.errorf(
          "rejecting message %s (routing key %s) to the dead-letter queue: %s",
          metadata.flatMap(IncomingRabbitMQMetadata::getMessageId).orElse("without id"),
          metadata.map(IncomingRabbitMQMetadata::getRoutingKey).orElse("?"),
          e.getMessage());
      return message.nack(e);
    }
    // The loop acknowledges once the event is committed; meanwhile the next one can arrive, up to
    // the broker's prefetch (max-outstanding-messages).
    loop.submit(event);
    return CompletableFuture.completedFuture(null);
  }

  static ReceivedEvent parse(Message<?> message) throws InvalidProtocolBufferException {
    Event event = Event.parseFrom(body(message.getPayload()));
    if (event.getChannel().isEmpty()) {
      throw new IllegalArgumentException("the event has no channel");
    }
    UUID.fromString(event.getId());
    Map<String, Object> headers =
        message
            .getMetadata(IncomingRabbitMQMetadata.class)
            .map(IncomingRabbitMQMetadata::getHeaders)
            .orElse(Map.of());
    Object position = headers.get("position");
    long value;
    if (position instanceof Number number) {
      value = number.longValue();
    } else if (position != null) {
      value = Long.parseLong(position.toString());
    } else {
      throw new IllegalArgumentException("no position header");
    }
    if (value < 1) {
      throw new IllegalArgumentException("position " + value + " is not a position");
    }
    return new ReceivedEvent(value, event, message);
  }

  private static byte[] body(Object payload) {
    if (payload instanceof byte[] bytes) {
      return bytes;
    }
    if (payload instanceof Buffer buffer) {
      return buffer.getBytes();
    }
    if (payload instanceof io.vertx.mutiny.core.buffer.Buffer buffer) {
      return buffer.getBytes();
    }
    throw new IllegalArgumentException(
        "unexpected payload type " + (payload == null ? "null" : payload.getClass().getName()));
  }
}
