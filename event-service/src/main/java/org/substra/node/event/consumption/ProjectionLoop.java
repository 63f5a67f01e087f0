package org.substra.node.event.consumption;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import org.substra.node.event.config.EventConfig;
import org.substra.node.event.consumption.ProjectionService.EventFailure;
import org.substra.node.event.consumption.ProjectionService.RunResult;
import org.substra.node.event.dispatch.WorkPublisher;

/**
 * The single thread that projects events: takes what the broker delivered (in delivery order, which
 * is position order per channel), applies as many as are waiting in one transaction, then
 * acknowledges them. A gap is repaired from the orchestrator before going on. A failing database is
 * waited for; an event that cannot be projected at all is skipped and recorded.
 */
@ApplicationScoped
public class ProjectionLoop {

  private static final Logger LOG = Logger.getLogger(ProjectionLoop.class);

  private final BlockingQueue<ReceivedEvent> inbox = new LinkedBlockingQueue<>();
  private final ProjectionService projection;
  private final OrchestratorResync resync;
  private final ConsumptionState state;
  private final WorkPublisher publisher;
  private final EventConfig.Consumption config;
  private volatile boolean running;
  private Thread worker;

  ProjectionLoop(
      ProjectionService projection,
      OrchestratorResync resync,
      ConsumptionState state,
      WorkPublisher publisher,
      EventConfig config) {
    this.projection = projection;
    this.resync = resync;
    this.state = state;
    this.publisher = publisher;
    this.config = config.consumption();
  }

  void start(@Observes StartupEvent event) {
    running = true;
    worker = new Thread(this::run, "event-projection");
    worker.setDaemon(true);
    worker.start();
  }

  void stop(@Observes ShutdownEvent event) throws InterruptedException {
    running = false;
    if (worker != null) {
      worker.interrupt();
      worker.join(5_000);
    }
  }

  /** Queues a delivered event; acknowledged once applied (or found already applied). */
  public void submit(ReceivedEvent event) {
    inbox.add(event);
  }

  boolean running() {
    return running;
  }

  private void run() {
    List<ReceivedEvent> batch = new ArrayList<>();
    long lastActivity = System.nanoTime();
    while (running) {
      try {
        ReceivedEvent first = inbox.poll(250, TimeUnit.MILLISECONDS);
        if (first == null) {
          if (System.nanoTime() - lastActivity >= config.idleCheckInterval().toNanos()) {
            resync.catchUp(this);
            lastActivity = System.nanoTime();
          }
          continue;
        }
        lastActivity = System.nanoTime();
        batch.clear();
        batch.add(first);
        inbox.drainTo(batch, config.batchSize() - 1);
        applyAll(batch, true);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        LOG.error("event projection loop failed, going on", e);
      }
    }
  }

  /**
   * Applies every event of {@code events}; with {@code repairGaps}, a gap is repaired from the
   * orchestrator first. Returns when all are applied or skipped, or when the service stops.
   */
  void applyAll(List<ReceivedEvent> events, boolean repairGaps) throws InterruptedException {
    Map<String, String> poisoned = new HashMap<>();
    int next = 0;
    while (next < events.size() && running) {
      RunResult result;
      try {
        result = projection.apply(events, next, poisoned);
        state.healthy();
      } catch (EventFailure failure) {
        if (transientFailure(failure.getCause())) {
          waitAfter("projecting events failed", failure.getCause());
        } else {
          poisoned.put(failure.event().id(), describe(failure.getCause()));
        }
        continue;
      } catch (SQLException | RuntimeException e) {
        waitAfter("projecting events failed", e);
        continue;
      }
      acknowledge(events, next, result.next());
      publisher.wake();
      next = result.next();
      if (result.gap()) {
        if (!repairGaps) {
          throw new IllegalStateException(
              "replayed events are not contiguous at position " + events.get(next).position());
        }
        resync.repair(events.get(next), this);
      }
    }
  }

  private void acknowledge(List<ReceivedEvent> events, int from, int to) {
    for (int i = from; i < to; i++) {
      var message = events.get(i).message();
      if (message != null) {
        // After a broker reconnection the old delivery is gone: it comes again and is skipped.
        message
            .ack()
            .whenComplete(
                (ignored, failure) -> {
                  if (failure != null) {
                    LOG.debugf("acknowledgement lost: %s", failure.toString());
                  }
                });
      }
    }
  }

  void waitAfter(String what, Throwable failure) throws InterruptedException {
    String reason = what + ": " + describe(failure);
    if (!reason.equals(state.failure())) {
      LOG.warnf("%s; retrying every %s", reason, config.retryInterval());
    }
    state.failing(reason);
    Thread.sleep(config.retryInterval().toMillis());
  }

  /**
   * A lost connection, a server going down or a conflict may pass; anything else (a malformed key,
   * a constraint the event breaks, a bug) will fail the same way every time.
   */
  static boolean transientFailure(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof SQLTransientException) {
        return true;
      }
      if (cause instanceof SQLException sql) {
        String state = sql.getSQLState();
        return state == null
            || state.startsWith("08")
            || state.startsWith("40")
            || state.startsWith("53")
            || state.startsWith("57");
      }
    }
    return false;
  }

  static String describe(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root == failure ? failure.toString() : failure + " (" + root + ")";
  }
}
