package org.substra.node.orchestrator.computetask;

import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;
import org.substra.node.orchestrator.identity.Caller;
import org.substra.node.orchestrator.protocol.ApplyTaskActionParam;
import org.substra.node.orchestrator.protocol.ApplyTaskActionResponse;
import org.substra.node.orchestrator.protocol.ComputeTask;
import org.substra.node.orchestrator.protocol.DisableOutputParam;
import org.substra.node.orchestrator.protocol.DisableOutputResponse;
import org.substra.node.orchestrator.protocol.GetTaskInputAssetsParam;
import org.substra.node.orchestrator.protocol.GetTaskInputAssetsResponse;
import org.substra.node.orchestrator.protocol.GetTaskParam;
import org.substra.node.orchestrator.protocol.QueryTasksParam;
import org.substra.node.orchestrator.protocol.QueryTasksResponse;
import org.substra.node.orchestrator.protocol.RegisterTasksParam;
import org.substra.node.orchestrator.protocol.RegisterTasksResponse;
import org.substra.node.orchestrator.storage.Page;

/** {@code orchestrator.ComputeTaskService}. */
@GrpcService
public class TaskGrpcService implements org.substra.node.orchestrator.protocol.ComputeTaskService {

  private final TaskService tasks;

  TaskGrpcService(TaskService tasks) {
    this.tasks = tasks;
  }

  @Override
  public Uni<RegisterTasksResponse> registerTasks(RegisterTasksParam request) {
    return tasks
        .register(Caller.current(), request.getTasksList())
        .map(created -> RegisterTasksResponse.newBuilder().addAllTasks(created).build());
  }

  @Override
  public Uni<QueryTasksResponse> queryTasks(QueryTasksParam request) {
    Caller caller = Caller.current();
    return Page.serve(
        request.getPageToken(),
        request.getPageSize(),
        page -> tasks.query(caller, request.getFilter(), page),
        (found, next) ->
            QueryTasksResponse.newBuilder().addAllTasks(found).setNextPageToken(next).build());
  }

  @Override
  public Uni<ComputeTask> getTask(GetTaskParam request) {
    return tasks.get(Caller.current(), request.getKey());
  }

  @Override
  public Uni<ApplyTaskActionResponse> applyTaskAction(ApplyTaskActionParam request) {
    return tasks
        .applyAction(
            Caller.current(), request.getComputeTaskKey(), request.getAction(), request.getLog())
        .replaceWith(ApplyTaskActionResponse.getDefaultInstance());
  }

  @Override
  public Uni<GetTaskInputAssetsResponse> getTaskInputAssets(GetTaskInputAssetsParam request) {
    return tasks
        .inputAssets(Caller.current(), request.getComputeTaskKey())
        .map(assets -> GetTaskInputAssetsResponse.newBuilder().addAllAssets(assets).build());
  }

  @Override
  public Uni<DisableOutputResponse> disableOutput(DisableOutputParam request) {
    return tasks
        .disableOutput(Caller.current(), request.getComputeTaskKey(), request.getIdentifier())
        .replaceWith(DisableOutputResponse.getDefaultInstance());
  }
}
