package org.substra.node.orchestrator.datamanager;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.substra.node.orchestrator.asset.PermissionRules;
import org.substra.node.orchestrator.asset.Validator;
import org.substra.node.orchestrator.error.OrchestrationException;
import org.substra.node.orchestrator.identity.Caller;
import org.substra.node.orchestrator.organization.OrganizationRepository;
import org.substra.node.orchestrator.protocol.AssetKind;
import org.substra.node.orchestrator.protocol.DataManager;
import org.substra.node.orchestrator.protocol.Event;
import org.substra.node.orchestrator.protocol.EventKind;
import org.substra.node.orchestrator.protocol.NewDataManager;
import org.substra.node.orchestrator.storage.Page;
import org.substra.node.orchestrator.storage.Transactions;
import org.substra.node.orchestrator.storage.Tx;

/** Data managers (spec §3.5). */
@ApplicationScoped
public class DataManagerService {

  private final Transactions transactions;
  private final DataManagerRepository dataManagers;
  private final OrganizationRepository organizations;

  DataManagerService(
      Transactions transactions,
      DataManagerRepository dataManagers,
      OrganizationRepository organizations) {
    this.transactions = transactions;
    this.dataManagers = dataManagers;
    this.organizations = organizations;
  }

  public Uni<DataManager> register(Caller caller, NewDataManager input) {
    return Uni.createFrom()
        .voidItem()
        .invoke(
            () ->
                Validator.of("datamanager")
                    .uuid("key", input.getKey())
                    .name("name", input.getName())
                    .present("new_permissions", input.hasNewPermissions())
                    .addressable("description", input.hasDescription(), input.getDescription())
                    .addressable("opener", input.hasOpener(), input.getOpener())
                    .metadata(input.getMetadataMap())
                    .present("logs_permission", input.hasLogsPermission())
                    .validate())
        .flatMap(valid -> transactions.write(caller, tx -> insert(tx, input)));
  }

  private Uni<DataManager> insert(Tx tx, NewDataManager input) {
    String owner = tx.caller().organization();
    return dataManagers
        .find(tx, input.getKey())
        .flatMap(
            existing -> {
              if (existing != null) {
                throw OrchestrationException.conflict("datamanager", input.getKey());
              }
              return organizations.ids(tx);
            })
        .flatMap(
            members -> {
              DataManager dataManager =
                  DataManager.newBuilder()
                      .setKey(input.getKey())
                      .setName(input.getName())
                      .setOwner(owner)
                      .setPermissions(
                          PermissionRules.createPermissions(
                              owner, input.getNewPermissions(), members))
                      .setDescription(input.getDescription())
                      .setOpener(input.getOpener())
                      .setCreationDate(tx.nowTimestamp())
                      .setLogsPermission(
                          PermissionRules.create(owner, input.getLogsPermission(), members))
                      .putAllMetadata(input.getMetadataMap())
                      .build();
              tx.emit(event(dataManager, EventKind.EVENT_ASSET_CREATED));
              return dataManagers.insert(tx, dataManager).replaceWith(dataManager);
            });
  }

  public Uni<DataManager> get(Caller caller, String key) {
    return transactions.read(caller, tx -> existing(tx, key));
  }

  public Uni<List<DataManager>> query(Caller caller, Page page) {
    return transactions.read(caller, tx -> dataManagers.query(tx, page));
  }

  public Uni<Void> update(Caller caller, String key, String name) {
    return Uni.createFrom()
        .voidItem()
        .invoke(() -> Validator.of("datamanager").uuid("key", key).name("name", name).validate())
        .flatMap(
            valid ->
                transactions.write(
                    caller,
                    tx ->
                        existing(tx, key)
                            .flatMap(
                                dataManager -> {
                                  if (!dataManager.getOwner().equals(caller.organization())) {
                                    throw OrchestrationException.permissionDenied(
                                        "requester does not own the datamanager");
                                  }
                                  DataManager renamed =
                                      dataManager.toBuilder().setName(name).build();
                                  tx.emit(event(renamed, EventKind.EVENT_ASSET_UPDATED));
                                  return dataManagers.update(tx, renamed);
                                })));
  }

  public Uni<DataManager> existing(Tx tx, String key) {
    return dataManagers
        .find(tx, key)
        .invoke(
            dataManager -> {
              if (dataManager == null) {
                throw OrchestrationException.notFound("datamanager", key);
              }
            });
  }

  private static Event.Builder event(DataManager dataManager, EventKind kind) {
    return Event.newBuilder()
        .setAssetKey(dataManager.getKey())
        .setAssetKind(AssetKind.ASSET_DATA_MANAGER)
        .setEventKind(kind)
        .setDataManager(dataManager);
  }
}
