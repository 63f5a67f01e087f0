package org.substra.node.orchestrator.datasample;

import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;
import org.substra.node.orchestrator.identity.Caller;
import org.substra.node.orchestrator.protocol.Dataset;
import org.substra.node.orchestrator.protocol.GetDatasetParam;

/** {@code orchestrator.DatasetService}. */
@GrpcService
public class DatasetGrpcService implements org.substra.node.orchestrator.protocol.DatasetService {

  private final DataSampleService samples;

  DatasetGrpcService(DataSampleService samples) {
    this.samples = samples;
  }

  @Override
  public Uni<Dataset> getDataset(GetDatasetParam request) {
    return samples.dataset(Caller.current(), request.getKey());
  }
}
