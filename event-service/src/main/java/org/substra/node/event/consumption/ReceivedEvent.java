package org.substra.node.event.consumption;

import org.eclipse.microprofile.reactive.messaging.Message;
import org.substra.node.orchestrator.protocol.Event;

/**
 * An event with its position in its channel; {@code message} is the RabbitMQ delivery to
 * acknowledge once the event is applied, or null for an event replayed by the orchestrator.
 */
public record ReceivedEvent(long position, Event event, Message<?> message) {

  public String channel() {
    return event.getChannel();
  }

  public String id() {
    return event.getId();
  }
}
