package org.substra.node.event.dispatch;

import io.vertx.core.json.JsonObject;

/**
 * A message for compute-service. {@code id} is both the outbox key and the AMQP message id, so a
 * message is recorded once whatever the number of events that call for it, and compute-service can
 * recognize a redelivery.
 */
public record WorkMessage(String id, Kind kind, String routingKey, JsonObject body) {

  /** What compute-service is asked to do. */
  public enum Kind {
    BUILD("build"),
    TASK("task"),
    CANCEL("cancel"),
    TEARDOWN("teardown");

    private final String wireName;

    Kind(String wireName) {
      this.wireName = wireName;
    }

    public String wireName() {
      return wireName;
    }
  }
}
