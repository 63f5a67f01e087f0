package org.substra.node.compute.executor;

import org.substra.node.compute.staging.TaskWorkspace;
import org.substra.node.orchestrator.protocol.Function;

/** A staged task: its inputs linked and its arguments file written in {@code workspace}. */
public record TaskRun(String planKey, String taskKey, Function function, TaskWorkspace workspace) {}
