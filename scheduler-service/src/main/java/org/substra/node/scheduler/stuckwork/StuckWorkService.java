package org.substra.node.scheduler.stuckwork;

import io.grpc.StatusRuntimeException;
import jakarta.inject.Singleton;
import java.util.List;
import org.jboss.logging.Logger;
import org.substra.node.orchestrator.protocol.ComputeTaskStatus;
import org.substra.node.scheduler.config.SchedulerConfig;
import org.substra.node.scheduler.orchestrator.Orchestrator;

/**
 * Recovers the tasks of this organization that the read model shows stuck. The orchestrator has the
 * last word: a task is only acted on while the orchestrator still has it in the stuck status (the
 * read model may lag behind).
 */
@Singleton
public class StuckWorkService {

  private static final Logger LOG = Logger.getLogger(StuckWorkService.class);

  /** What one recovery did. */
  public record Outcome(int failed, int redispatched, int skipped) {
    @Override
    public String toString() {
      return "failed " + failed + " tasks, re-dispatched " + redispatched + ", skipped " + skipped;
    }
  }

  private final StuckWorkConfig config;
  private final SchedulerConfig organization;
  private final StuckTaskRepository tasks;
  private final Orchestrator orchestrator;
  private final WorkRedispatcher dispatcher;

  StuckWorkService(
      StuckWorkConfig config,
      SchedulerConfig organization,
      StuckTaskRepository tasks,
      Orchestrator orchestrator,
      WorkRedispatcher dispatcher) {
    this.config = config;
    this.organization = organization;
    this.tasks = tasks;
    this.orchestrator = orchestrator;
    this.dispatcher = dispatcher;
  }

  public Outcome recover() throws Exception {
    String worker = organization.mspId();
    List<String> channels = organization.channels();
    int failed = 0;
    int redispatched = 0;
    int skipped = 0;
    for (StuckTaskRepository.Executing task :
        tasks.executingSince(worker, channels, config.executingTimeout())) {
      if (fail(task.channel(), task.key().toString(), ComputeTaskStatus.STATUS_EXECUTING)) {
        failed++;
      } else {
        skipped++;
      }
    }
    for (StuckTaskRepository.Waiting task :
        tasks.waitingSince(worker, channels, config.dispatchTimeout())) {
      String key = task.key().toString();
      if (task.redispatches() >= config.maxRedispatches()) {
        if (fail(task.channel(), key, ComputeTaskStatus.STATUS_WAITING_FOR_EXECUTOR_SLOT)) {
          failed++;
        } else {
          skipped++;
        }
      } else if (statusIs(
          task.channel(), key, ComputeTaskStatus.STATUS_WAITING_FOR_EXECUTOR_SLOT)) {
        int attempt = task.redispatches() + 1;
        dispatcher.redispatch(task, attempt);
        tasks.recordRedispatch(task.key());
        LOG.warnf(
            "task %s waited %s for an executor slot: dispatched again (%d/%d)",
            key, config.dispatchTimeout(), attempt, config.maxRedispatches());
        redispatched++;
      } else {
        skipped++;
      }
    }
    return new Outcome(failed, redispatched, skipped);
  }

  /**
   * Fails {@code key} with an INTERNAL_ERROR report if the orchestrator still has it in {@code
   * stuck}. The orchestrator takes a failure report for an EXECUTING task only, so a task that
   * never started is moved to EXECUTING first, as compute-service does before its own failure
   * reports.
   */
  private boolean fail(String channel, String key, ComputeTaskStatus stuck) {
    if (!statusIs(channel, key, stuck)) {
      return false;
    }
    try {
      if (stuck != ComputeTaskStatus.STATUS_EXECUTING) {
        orchestrator.startExecuting(channel, key);
      }
      orchestrator.reportInternalFailure(channel, key);
      LOG.warnf("task %s stuck in %s: failed with an INTERNAL_ERROR report", key, stuck);
      return true;
    } catch (StatusRuntimeException e) {
      // Raced with compute-service finishing it: the next run sees the new status.
      LOG.warnf("task %s: failure report refused: %s", key, e.getStatus());
      return false;
    }
  }

  private boolean statusIs(String channel, String key, ComputeTaskStatus expected) {
    try {
      return orchestrator.task(channel, key).getStatus() == expected;
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == io.grpc.Status.Code.NOT_FOUND) {
        // A read-model row the orchestrator does not know: reconciliation's business, not ours.
        LOG.warnf("task %s: unknown to the orchestrator, left alone", key);
        return false;
      }
      throw e;
    }
  }
}
