package org.substra.node.orchestrator.computetask;

import static org.substra.node.orchestrator.protocol.ComputeTaskStatus.STATUS_BUILDING;
import static org.substra.node.orchestrator.protocol.ComputeTaskStatus.STATUS_CANCELED;
import static org.substra.node.orchestrator.protocol.ComputeTaskStatus.STATUS_DONE;
import static org.substra.node.orchestrator.protocol.ComputeTaskStatus.STATUS_EXECUTING;
import static org.substra.node.orchestrator.protocol.ComputeTaskStatus.STATUS_FAILED;
import static org.substra.node.orchestrator.protocol.ComputeTaskStatus.STATUS_WAITING_FOR_BUILDER_SLOT;
import static org.substra.node.orchestrator.protocol.ComputeTaskStatus.STATUS_WAITING_FOR_EXECUTOR_SLOT;
import static org.substra.node.orchestrator.protocol.ComputeTaskStatus.STATUS_WAITING_FOR_PARENT_TASKS;

import java.util.EnumSet;
import java.util.Set;
import org.substra.node.orchestrator.error.OrchestrationException;
import org.substra.node.orchestrator.protocol.ComputeTaskStatus;

/**
 * The task state machine (spec §3.8.6), with the reference's transition names: clients read them in
 * the refusal text ("event transitionDone inappropriate in current state STATUS_DONE").
 */
public enum TaskTransition {
  BUILDING("transitionBuilding", STATUS_BUILDING, EnumSet.of(STATUS_WAITING_FOR_BUILDER_SLOT)),
  WAITING_PARENT_TASKS(
      "transitionWaitingParentTasks", STATUS_WAITING_FOR_PARENT_TASKS, EnumSet.of(STATUS_BUILDING)),
  WAITING_EXECUTOR_SLOT(
      "transitionWaitingExecutorSlot",
      STATUS_WAITING_FOR_EXECUTOR_SLOT,
      EnumSet.of(STATUS_BUILDING, STATUS_WAITING_FOR_PARENT_TASKS)),
  EXECUTING("transitionExecuting", STATUS_EXECUTING, EnumSet.of(STATUS_WAITING_FOR_EXECUTOR_SLOT)),
  DONE("transitionDone", STATUS_DONE, EnumSet.of(STATUS_EXECUTING)),
  CANCELED("transitionCanceled", STATUS_CANCELED, Sources.UNFINISHED),
  FAILED("transitionFailed", STATUS_FAILED, Sources.UNFINISHED);

  private final String reference;
  private final ComputeTaskStatus target;
  private final Set<ComputeTaskStatus> sources;

  TaskTransition(String reference, ComputeTaskStatus target, Set<ComputeTaskStatus> sources) {
    this.reference = reference;
    this.target = target;
    this.sources = sources;
  }

  public ComputeTaskStatus target() {
    return target;
  }

  /** Refuses the transition from {@code current} with the reference's UNKNOWN error. */
  public void checkFrom(ComputeTaskStatus current) {
    if (!sources.contains(current)) {
      throw OrchestrationException.illegalTransition(reference, current.name());
    }
  }

  public static boolean isFinal(ComputeTaskStatus status) {
    return status == STATUS_DONE || status == STATUS_CANCELED || status == STATUS_FAILED;
  }

  private static final class Sources {
    static final Set<ComputeTaskStatus> UNFINISHED =
        EnumSet.of(
            STATUS_WAITING_FOR_BUILDER_SLOT,
            STATUS_BUILDING,
            STATUS_WAITING_FOR_PARENT_TASKS,
            STATUS_WAITING_FOR_EXECUTOR_SLOT,
            STATUS_EXECUTING);
  }
}
