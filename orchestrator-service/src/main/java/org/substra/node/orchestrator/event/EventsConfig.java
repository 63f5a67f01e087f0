package org.substra.node.orchestrator.event;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Event delivery: the RabbitMQ publication and the SubscribeToEvents stream. */
@ConfigMapping(prefix = "orchestrator.events")
public interface EventsConfig {

  /** The durable topic exchange events are published to, routed by channel name. */
  @WithDefault("orchestrator")
  String exchange();

  /** Whether this replica publishes committed events to RabbitMQ (one replica at a time does). */
  @WithDefault("true")
  boolean publish();

  /** Events published per batch; each batch waits for the broker's confirms before moving on. */
  @WithDefault("200")
  int publishBatchSize();

  /** How long a stream or the publisher waits for a commit notice before looking anyway. */
  @WithDefault("1s")
  Duration pollInterval();

  /** Events read per query while a stream replays (ORCHESTRATOR_REPLAY_EVENTS_BATCH_SIZE). */
  @WithDefault("100")
  int replayBatchSize();
}
