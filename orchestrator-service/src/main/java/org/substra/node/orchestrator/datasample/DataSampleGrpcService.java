package org.substra.node.orchestrator.datasample;

import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;
import org.substra.node.orchestrator.identity.Caller;
import org.substra.node.orchestrator.protocol.DataSample;
import org.substra.node.orchestrator.protocol.GetDataSampleParam;
import org.substra.node.orchestrator.protocol.QueryDataSamplesParam;
import org.substra.node.orchestrator.protocol.QueryDataSamplesResponse;
import org.substra.node.orchestrator.protocol.RegisterDataSamplesParam;
import org.substra.node.orchestrator.protocol.RegisterDataSamplesResponse;
import org.substra.node.orchestrator.protocol.UpdateDataSamplesParam;
import org.substra.node.orchestrator.protocol.UpdateDataSamplesResponse;
import org.substra.node.orchestrator.storage.Page;

/** {@code orchestrator.DataSampleService}. */
@GrpcService
public class DataSampleGrpcService
    implements org.substra.node.orchestrator.protocol.DataSampleService {

  private final DataSampleService samples;

  DataSampleGrpcService(DataSampleService samples) {
    this.samples = samples;
  }

  @Override
  public Uni<RegisterDataSamplesResponse> registerDataSamples(RegisterDataSamplesParam request) {
    return samples
        .register(Caller.current(), request.getSamplesList())
        .map(
            created -> RegisterDataSamplesResponse.newBuilder().addAllDataSamples(created).build());
  }

  @Override
  public Uni<UpdateDataSamplesResponse> updateDataSamples(UpdateDataSamplesParam request) {
    return samples
        .update(Caller.current(), request.getKeysList(), request.getDataManagerKeysList())
        .replaceWith(UpdateDataSamplesResponse.getDefaultInstance());
  }

  @Override
  public Uni<QueryDataSamplesResponse> queryDataSamples(QueryDataSamplesParam request) {
    Caller caller = Caller.current();
    return Page.serve(
        request.getPageToken(),
        request.getPageSize(),
        page -> samples.query(caller, request.getFilter().getKeysList(), page),
        (found, next) ->
            QueryDataSamplesResponse.newBuilder()
                .addAllDataSamples(found)
                .setNextPageToken(next)
                .build());
  }

  @Override
  public Uni<DataSample> getDataSample(GetDataSampleParam request) {
    return samples.get(Caller.current(), request.getKey());
  }
}
