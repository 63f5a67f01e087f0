package org.substra.node.event.consumption;

import io.grpc.Metadata;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.grpc.GrpcClientUtils;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;
import org.substra.node.event.config.EventConfig;
import org.substra.node.event.consumption.ProgressRepository.Progress;
import org.substra.node.orchestrator.protocol.Event;
import org.substra.node.orchestrator.protocol.MutinyEventServiceGrpc.MutinyEventServiceStub;
import org.substra.node.orchestrator.protocol.SubscribeToEventsParam;
import org.substra.node.orchestrator.protocol.client.CallerIdentity;

/**
 * Repairs a gap: replays a channel's events from the orchestrator ({@code SubscribeToEvents} after
 * the last applied event) up to the event that revealed the gap. The stream sends the channel's
 * events in position order without holes, so the n-th event after the last applied one has its
 * position plus n.
 */
@ApplicationScoped
public class OrchestratorResync {

  private static final Logger LOG = Logger.getLogger(OrchestratorResync.class);

  private final MutinyEventServiceStub events;
  private final ProjectionService projection;
  private final ConsumptionState state;
  private final EventConfig config;
  private final Map<String, String> idleCheckFailures = new HashMap<>();

  OrchestratorResync(
      @GrpcClient("orchestrator") MutinyEventServiceStub events,
      ProjectionService projection,
      ConsumptionState state,
      EventConfig config) {
    this.events = events;
    this.projection = projection;
    this.state = state;
    this.config = config;
  }

  /** Applies the events of {@code target}'s channel up to {@code target}; retries until done. */
  void repair(ReceivedEvent target, ProjectionLoop loop) throws InterruptedException {
    String channel = target.channel();
    state.gapDetected(channel, target.position());
    try {
      while (loop.running()) {
        Progress progress;
        try {
          progress = projection.progress(channel);
        } catch (Exception e) {
          loop.waitAfter("reading the consumption progress failed", e);
          continue;
        }
        if (progress.position() >= target.position()) {
          return;
        }
        long missing = target.position() - progress.position();
        LOG.warnf(
            "gap in channel %s: last applied position %d, received %d (event %s); replaying %d"
                + " events from the orchestrator",
            channel, progress.position(), target.position(), target.id(), missing);
        try {
          replay(channel, progress, missing, target, loop);
          LOG.infof("gap in channel %s repaired up to position %d", channel, target.position());
        } catch (InterruptedException e) {
          throw e;
        } catch (Exception e) {
          loop.waitAfter("replaying events from the orchestrator failed", e);
        }
      }
    } finally {
      state.gapRepaired(channel);
    }
  }

  /**
   * Applies, for every channel, what the orchestrator has after the last applied event: nothing
   * when no message was lost. Runs on the projection thread while the broker is quiet.
   */
  void catchUp(ProjectionLoop loop) throws InterruptedException {
    for (String channel : config.channels()) {
      try {
        // Batch after batch: a read model far behind (a new node) has a long history to apply.
        while (loop.running() && catchUpBatch(channel, loop) == config.consumption().batchSize()) {
          // A full batch: more may be waiting.
        }
      } catch (InterruptedException e) {
        throw e;
      } catch (Exception e) {
        // Said once per kind of failure: an orchestrator that stays down would fill the log.
        String failure = ProjectionLoop.describe(e);
        if (failure.equals(idleCheckFailures.put(channel, failure))) {
          LOG.debugf("idle check of channel %s failed: %s", channel, failure);
        } else {
          LOG.warnf("idle check of channel %s failed: %s", channel, failure);
        }
        continue;
      }
      idleCheckFailures.remove(channel);
    }
  }

  private int catchUpBatch(String channel, ProjectionLoop loop) throws Exception {
    Progress progress = projection.progress(channel);
    Metadata headers = CallerIdentity.headers(config.mspId(), channel);
    // The stream never ends by itself: what it has now comes at once, then it goes quiet.
    List<Event> missed =
        GrpcClientUtils.attachHeaders(events, headers)
            .subscribeToEvents(
                SubscribeToEventsParam.newBuilder().setStartEventId(progress.eventId()).build())
            .select()
            .first(config.consumption().batchSize())
            .ifNoItem()
            .after(Duration.ofSeconds(1))
            .recoverWithCompletion()
            .collect()
            .asList()
            .await()
            .atMost(config.consumption().resyncTimeout());
    if (missed.isEmpty()) {
      return 0;
    }
    LOG.warnf(
        "channel %s: %d event(s) after position %d never arrived from RabbitMQ; applying them"
            + " from the orchestrator",
        channel, missed.size(), progress.position());
    List<ReceivedEvent> chunk = new ArrayList<>();
    long position = progress.position();
    for (Event event : missed) {
      chunk.add(new ReceivedEvent(++position, event, null));
    }
    loop.applyAll(chunk, false);
    return missed.size();
  }

  private void replay(
      String channel, Progress from, long count, ReceivedEvent target, ProjectionLoop loop)
      throws InterruptedException {
    Metadata headers = CallerIdentity.headers(config.mspId(), channel);
    Iterable<Event> stream =
        GrpcClientUtils.attachHeaders(events, headers)
            .subscribeToEvents(
                SubscribeToEventsParam.newBuilder().setStartEventId(from.eventId()).build())
            .select()
            .first(count)
            .ifNoItem()
            .after(config.consumption().resyncTimeout())
            .fail()
            .subscribe()
            .asIterable();
    long position = from.position();
    List<ReceivedEvent> chunk = new ArrayList<>();
    Event last = null;
    for (Event event : stream) {
      position++;
      last = event;
      chunk.add(new ReceivedEvent(position, event, null));
      if (chunk.size() == config.consumption().batchSize()) {
        loop.applyAll(chunk, false);
        chunk.clear();
      }
    }
    loop.applyAll(chunk, false);
    if (position < target.position()) {
      throw new IllegalStateException(
          "the orchestrator's stream ended at position " + position + " of channel " + channel);
    }
    if (last != null && !last.getId().equals(target.id())) {
      LOG.errorf(
          "position %d of channel %s is event %s in the orchestrator's stream but %s on RabbitMQ",
          target.position(), channel, last.getId(), target.id());
    }
  }
}
