package org.substra.node.orchestrator.model;

import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;
import java.util.List;
import org.substra.node.orchestrator.identity.Caller;
import org.substra.node.orchestrator.protocol.GetComputeTaskModelsParam;
import org.substra.node.orchestrator.protocol.GetComputeTaskModelsResponse;
import org.substra.node.orchestrator.protocol.GetModelParam;
import org.substra.node.orchestrator.protocol.Model;
import org.substra.node.orchestrator.protocol.NewModel;
import org.substra.node.orchestrator.protocol.RegisterModelsParam;
import org.substra.node.orchestrator.protocol.RegisterModelsResponse;

/** {@code orchestrator.ModelService}. */
@GrpcService
public class ModelGrpcService implements org.substra.node.orchestrator.protocol.ModelService {

  private final ModelService models;

  ModelGrpcService(ModelService models) {
    this.models = models;
  }

  @Override
  public Uni<Model> registerModel(NewModel request) {
    return models.register(Caller.current(), List.of(request)).map(created -> created.get(0));
  }

  @Override
  public Uni<RegisterModelsResponse> registerModels(RegisterModelsParam request) {
    return models
        .register(Caller.current(), request.getModelsList())
        .map(created -> RegisterModelsResponse.newBuilder().addAllModels(created).build());
  }

  @Override
  public Uni<Model> getModel(GetModelParam request) {
    return models.get(Caller.current(), request.getKey());
  }

  @Override
  public Uni<GetComputeTaskModelsResponse> getComputeTaskOutputModels(
      GetComputeTaskModelsParam request) {
    return models
        .ofTask(Caller.current(), request.getComputeTaskKey())
        .map(found -> GetComputeTaskModelsResponse.newBuilder().addAllModels(found).build());
  }
}
