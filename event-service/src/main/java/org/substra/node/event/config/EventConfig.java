package org.substra.node.event.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;

/** Settings of event-service. */
@ConfigMapping(prefix = "events")
public interface EventConfig {

  /** This organization's id in the network (Substra's MSP ID). */
  @WithDefault("MyOrg1MSP")
  String mspId();

  /** The channels this organization belongs to. */
  @WithDefault("mychannel")
  List<String> channels();

  /** Consumption of the orchestrator's events. */
  Consumption consumption();

  /** Work messages for compute-service. */
  Dispatch dispatch();

  interface Consumption {
    /**
     * The orchestrator's topic exchange (orchestrator-service's {@code
     * orchestrator.events.exchange}); read by the messaging channel {@code orchestrator-events},
     * see application.properties.
     */
    @WithDefault("orchestrator")
    String exchange();

    /** This node's durable queue, bound to the exchange with one routing key per channel. */
    @WithDefault("event-service.MyOrg1MSP")
    String queue();

    /** Most events projected in one database transaction (then acknowledged together). */
    @WithDefault("500")
    int batchSize();

    /** Pause before trying again after the database or the orchestrator failed. */
    @WithDefault("1s")
    Duration retryInterval();

    /** How long a gap resynchronisation may wait for the orchestrator's stream before retrying. */
    @WithDefault("30s")
    Duration resyncTimeout();

    /**
     * After this long without any delivery, each channel's orchestrator stream is asked for events
     * after the last applied one: a lost last message shows no gap, since no later one arrives.
     */
    @WithDefault("30s")
    Duration idleCheckInterval();
  }

  interface Dispatch {
    /** Direct exchange of the work messages, declared with its queues by event-service. */
    @WithDefault("compute")
    String exchange();

    /** The queue of build messages (routing key {@code build}); any compute replica takes them. */
    @WithDefault("compute.builds")
    String buildQueue();

    /**
     * Prefix of the task queues: {@code <prefix>.<i>} (routing key {@code task.<i>}) for replica
     * {@code i} of compute-service.
     */
    @WithDefault("compute.tasks")
    String taskQueuePrefix();

    /**
     * How many task queues, i.e. compute-service replicas: a plan's task and cancel messages all go
     * to queue {@code crc32(plan key) mod task-queues}.
     */
    @WithDefault("1")
    int taskQueues();

    /** Most outbox messages published per broker confirmation round. */
    @WithDefault("200")
    int publishBatchSize();

    /** How often the outbox is looked at when nothing wakes the publisher. */
    @WithDefault("1s")
    Duration pollInterval();
  }
}
