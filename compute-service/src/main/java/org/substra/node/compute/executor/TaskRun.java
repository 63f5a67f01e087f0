package org.substra.node.compute.executor;

import org.substra.node.compute.staging.TaskWorkspace;
import org.substra.node.orchestrator.protocol.Function;

/**
 * A staged task: its inputs linked and its arguments file written in {@code workspace}.
 *
 * @param chainkeys whether its plan's chainkeys are in the workspace's {@code chainkeys} folder
 */
public record TaskRun(
    String planKey, String taskKey, Function function, TaskWorkspace workspace, boolean chainkeys) {

  public TaskRun(String planKey, String taskKey, Function function, TaskWorkspace workspace) {
    this(planKey, taskKey, function, workspace, false);
  }
}
