package org.substra.node.orchestrator.datamanager;

import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;
import org.substra.node.orchestrator.identity.Caller;
import org.substra.node.orchestrator.protocol.DataManager;
import org.substra.node.orchestrator.protocol.GetDataManagerParam;
import org.substra.node.orchestrator.protocol.NewDataManager;
import org.substra.node.orchestrator.protocol.QueryDataManagersParam;
import org.substra.node.orchestrator.protocol.QueryDataManagersResponse;
import org.substra.node.orchestrator.protocol.UpdateDataManagerParam;
import org.substra.node.orchestrator.protocol.UpdateDataManagerResponse;
import org.substra.node.orchestrator.storage.Page;

/** {@code orchestrator.DataManagerService}. */
@GrpcService
public class DataManagerGrpcService
    implements org.substra.node.orchestrator.protocol.DataManagerService {

  private final DataManagerService dataManagers;

  DataManagerGrpcService(DataManagerService dataManagers) {
    this.dataManagers = dataManagers;
  }

  @Override
  public Uni<DataManager> registerDataManager(NewDataManager request) {
    return dataManagers.register(Caller.current(), request);
  }

  @Override
  public Uni<DataManager> getDataManager(GetDataManagerParam request) {
    return dataManagers.get(Caller.current(), request.getKey());
  }

  @Override
  public Uni<QueryDataManagersResponse> queryDataManagers(QueryDataManagersParam request) {
    Caller caller = Caller.current();
    return Page.serve(
        request.getPageToken(),
        request.getPageSize(),
        page -> dataManagers.query(caller, page),
        (found, next) ->
            QueryDataManagersResponse.newBuilder()
                .addAllDataManagers(found)
                .setNextPageToken(next)
                .build());
  }

  @Override
  public Uni<UpdateDataManagerResponse> updateDataManager(UpdateDataManagerParam request) {
    return dataManagers
        .update(Caller.current(), request.getKey(), request.getName())
        .replaceWith(UpdateDataManagerResponse.getDefaultInstance());
  }
}
