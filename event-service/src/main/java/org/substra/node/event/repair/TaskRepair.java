package org.substra.node.event.repair;

import com.google.protobuf.Timestamp;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.jboss.logging.Logger;
import org.substra.node.event.config.EventConfig;
import org.substra.node.event.projection.EventProjector;
import org.substra.node.event.projection.ProjectionBatch;
import org.substra.node.orchestrator.protocol.AssetKind;
import org.substra.node.orchestrator.protocol.ComputeTask;
import org.substra.node.orchestrator.protocol.ComputeTaskStatus;
import org.substra.node.orchestrator.protocol.Event;
import org.substra.node.orchestrator.protocol.EventKind;
import org.substra.node.orchestrator.protocol.FailureReport;

/**
 * Re-projects tasks from the orchestrator's current state, for read-model reconciliation
 * (scheduler-service): each task is applied as an "asset updated" event carrying the orchestrator's
 * snapshot, through the projection every event goes through, so the plan's counters and status are
 * re-derived the same way. The consumption progress is left alone: the snapshot is not an event of
 * the channel's sequence.
 */
@ApplicationScoped
public class TaskRepair {

  private static final Logger LOG = Logger.getLogger(TaskRepair.class);

  /** What a repair did: tasks re-projected, already in agreement, unknown to the orchestrator. */
  public record Result(List<String> repaired, List<String> unchanged, List<String> unknown) {}

  private final DataSource dataSource;
  private final EventProjector projector;
  private final TaskChannels channels;
  private final OrchestratorTasks orchestrator;
  private final EventConfig config;

  TaskRepair(
      DataSource dataSource,
      EventProjector projector,
      TaskChannels channels,
      OrchestratorTasks orchestrator,
      EventConfig config) {
    this.dataSource = dataSource;
    this.projector = projector;
    this.channels = channels;
    this.orchestrator = orchestrator;
    this.config = config;
  }

  /** Repairs {@code keys} in one transaction. */
  public Result repair(List<String> keys) throws SQLException {
    List<String> repaired = new ArrayList<>();
    List<String> unchanged = new ArrayList<>();
    List<String> unknown = new ArrayList<>();
    try (Connection db = dataSource.getConnection()) {
      db.setAutoCommit(false);
      try {
        Map<String, String> known = channels.of(db, keys);
        // The rows are locked before the orchestrator is read: an event projected meanwhile waits
        // for this transaction, so an older snapshot can never overwrite a newer event's status.
        ProjectionBatch batch = projector.begin();
        projector.prefetchTasks(db, batch, keys);
        List<Event> snapshots = new ArrayList<>();
        for (String key : new LinkedHashSet<>(keys)) {
          Optional<Event> snapshot = find(known.get(key), key);
          if (snapshot.isEmpty()) {
            unknown.add(key);
          } else {
            snapshots.add(snapshot.get());
          }
        }
        for (Event snapshot : snapshots) {
          ComputeTask task = snapshot.getComputeTask();
          if (projector.knownStatus(batch, task.getKey()) == task.getStatus()) {
            // Applying it anyway would dispatch a waiting task a second time.
            unchanged.add(task.getKey());
            continue;
          }
          projector.apply(db, batch, snapshot, 0);
          if (task.getStatus() == ComputeTaskStatus.STATUS_FAILED) {
            Optional<FailureReport> report =
                orchestrator.failureReport(snapshot.getChannel(), task.getKey());
            if (report.isPresent()) {
              projector.apply(db, batch, failureReportEvent(snapshot, report.get()), 0);
            }
          }
          repaired.add(task.getKey());
        }
        projector.finish(db, batch);
        db.commit();
      } catch (SQLException | RuntimeException e) {
        db.rollback();
        throw e;
      }
    }
    if (!repaired.isEmpty() || !unknown.isEmpty()) {
      LOG.infof(
          "repaired tasks from the orchestrator: %s re-projected, %d already agreed, %s unknown"
              + " to the orchestrator",
          repaired, unchanged.size(), unknown);
    }
    return new Result(repaired, unchanged, unknown);
  }

  /** The task in its read-model channel, or in the first of this node's channels that has it. */
  private Optional<Event> find(String channel, String key) {
    List<String> candidates = channel != null ? List.of(channel) : config.channels();
    for (String candidate : candidates) {
      Optional<ComputeTask> task = orchestrator.task(candidate, key);
      if (task.isPresent()) {
        return Optional.of(snapshot(candidate, task.get()));
      }
    }
    return Optional.empty();
  }

  /**
   * The task as an "asset updated" event. Its timestamp, which the projection takes for a start or
   * end date set by this change, is the repair's: the lost event's own time is not known.
   */
  private static Event snapshot(String channel, ComputeTask task) {
    return Event.newBuilder()
        .setId("repair-" + task.getKey() + "-" + task.getStatus().name())
        .setChannel(channel)
        .setAssetKey(task.getKey())
        .setAssetKind(AssetKind.ASSET_COMPUTE_TASK)
        .setEventKind(EventKind.EVENT_ASSET_UPDATED)
        .setTimestamp(now())
        .setComputeTask(task)
        .build();
  }

  private static Event failureReportEvent(Event task, FailureReport report) {
    return task.toBuilder()
        .setId(task.getId() + "-failure-report")
        .setAssetKind(AssetKind.ASSET_FAILURE_REPORT)
        .setEventKind(EventKind.EVENT_ASSET_CREATED)
        .setFailureReport(report)
        .build();
  }

  private static Timestamp now() {
    Instant now = Instant.now();
    return Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()).build();
  }
}
