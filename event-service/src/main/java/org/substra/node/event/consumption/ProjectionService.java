package org.substra.node.event.consumption;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.jboss.logging.Logger;
import org.substra.node.event.consumption.ProgressRepository.Progress;
import org.substra.node.event.projection.EventProjector;
import org.substra.node.event.projection.ProjectionBatch;

/**
 * Transactions of the projection: applies a run of events in position order per channel together
 * with the channels' new progress, in one transaction. An event at or below its channel's progress
 * is a duplicate and is skipped; one beyond the next position stops the run (a gap).
 */
@ApplicationScoped
public class ProjectionService {

  private static final Logger LOG = Logger.getLogger(ProjectionService.class);

  private final DataSource dataSource;
  private final ProgressRepository progress;
  private final EventProjector projector;

  ProjectionService(DataSource dataSource, ProgressRepository progress, EventProjector projector) {
    this.dataSource = dataSource;
    this.progress = progress;
    this.projector = projector;
  }

  /** How far a run went: {@code next} is the first event not handled; a gap stopped it there. */
  public record RunResult(int next, boolean gap) {}

  /** An event whose projection failed; the cause says whether trying again can help. */
  public static final class EventFailure extends Exception {
    private final ReceivedEvent event;

    EventFailure(ReceivedEvent event, Throwable cause) {
      super(cause);
      this.event = event;
    }

    public ReceivedEvent event() {
      return event;
    }
  }

  /**
   * Applies {@code events} from index {@code from}, skipping (and recording in {@code
   * skipped_events}) those whose id is a key of {@code poisoned}, with the value as reason.
   */
  public RunResult apply(List<ReceivedEvent> events, int from, Map<String, String> poisoned)
      throws SQLException, EventFailure {
    try (Connection db = dataSource.getConnection()) {
      db.setAutoCommit(false);
      try {
        Set<String> channels = new LinkedHashSet<>();
        for (int i = from; i < events.size(); i++) {
          channels.add(events.get(i).channel());
        }
        Map<String, Progress> current = progress.lock(db, channels);
        Map<String, ReceivedEvent> applied = new HashMap<>();
        ProjectionBatch batch = projector.begin();
        List<org.substra.node.orchestrator.protocol.Event> ahead = new java.util.ArrayList<>();
        for (int k = from; k < events.size(); k++) {
          ahead.add(events.get(k).event());
        }
        projector.prefetch(db, batch, ahead);
        int i = from;
        boolean gap = false;
        for (; i < events.size(); i++) {
          ReceivedEvent event = events.get(i);
          long last = current.getOrDefault(event.channel(), Progress.NONE).position();
          if (event.position() <= last) {
            continue;
          }
          if (event.position() > last + 1) {
            gap = true;
            break;
          }
          String reason = poisoned.get(event.id());
          if (reason != null) {
            LOG.errorf(
                "skipping event %s (%s %s %s, position %d of channel %s): %s",
                event.id(),
                event.event().getAssetKind(),
                event.event().getEventKind(),
                event.event().getAssetKey(),
                event.position(),
                event.channel(),
                reason);
            progress.skipped(db, event, reason);
          } else {
            try {
              projector.apply(db, batch, event.event(), event.position());
            } catch (SQLException | RuntimeException e) {
              throw new EventFailure(event, e);
            }
          }
          current.put(event.channel(), new Progress(event.position(), event.id()));
          applied.put(event.channel(), event);
        }
        try {
          projector.finish(db, batch);
        } catch (SQLException | RuntimeException e) {
          // Not one event's fault: a plan row could not be written.
          throw new SQLException("writing the compute plans failed", e);
        }
        for (ReceivedEvent last : applied.values()) {
          progress.save(db, last.channel(), last.position(), last.event());
        }
        db.commit();
        return new RunResult(i, gap);
      } catch (SQLException | EventFailure | RuntimeException e) {
        try {
          db.rollback();
        } catch (SQLException rollback) {
          e.addSuppressed(rollback);
        }
        throw e;
      }
    }
  }

  /** The channel's progress as committed. */
  public Progress progress(String channel) throws SQLException {
    try (Connection db = dataSource.getConnection()) {
      db.setAutoCommit(false);
      try {
        return progress.lock(db, List.of(channel)).getOrDefault(channel, Progress.NONE);
      } finally {
        db.rollback();
      }
    }
  }
}
