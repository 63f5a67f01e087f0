package org.substra.node.orchestrator.datasample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.substra.node.orchestrator.Network.ORG1;
import static org.substra.node.orchestrator.Network.ORG2;
import static org.substra.node.orchestrator.Network.PRIVATE;
import static org.substra.node.testing.AssetMessages.PUBLIC;
import static org.substra.node.testing.AssetMessages.key;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.substra.node.orchestrator.Network;
import org.substra.node.orchestrator.NetworkTest;
import org.substra.node.orchestrator.protocol.DataManager;
import org.substra.node.orchestrator.protocol.DataSample;
import org.substra.node.orchestrator.protocol.DataSampleQueryFilter;
import org.substra.node.orchestrator.protocol.Dataset;
import org.substra.node.orchestrator.protocol.DatasetServiceGrpc;
import org.substra.node.orchestrator.protocol.EventKind;
import org.substra.node.orchestrator.protocol.GetDataManagerParam;
import org.substra.node.orchestrator.protocol.GetDataSampleParam;
import org.substra.node.orchestrator.protocol.GetDatasetParam;
import org.substra.node.orchestrator.protocol.NewDataManager;
import org.substra.node.orchestrator.protocol.NewDataSample;
import org.substra.node.orchestrator.protocol.QueryDataManagersParam;
import org.substra.node.orchestrator.protocol.QueryDataSamplesParam;
import org.substra.node.orchestrator.protocol.RegisterDataSamplesParam;
import org.substra.node.orchestrator.protocol.UpdateDataManagerParam;
import org.substra.node.orchestrator.protocol.UpdateDataSamplesParam;
import org.substra.node.testing.AssetMessages;
import org.substra.node.testing.Dependency;
import org.substra.node.testing.WithLocalDependencies;

/** Data managers, data samples and datasets (spec §3.5, §3.6). */
@QuarkusTest
@WithLocalDependencies(
    value = {Dependency.POSTGRESQL, Dependency.RABBITMQ},
    database = "orchestrator_test")
class DataTest extends NetworkTest {

  @Test
  void dataManagersAreOwnedAndRenamedByTheirOwner() {
    String key = network.dataManager(ORG1, PRIVATE);

    DataManager manager = get(ORG2, key);
    network
        .dataManagers(ORG1)
        .updateDataManager(
            UpdateDataManagerParam.newBuilder().setKey(key).setName("renamed").build());
    StatusRuntimeException stranger =
        refused(
            () ->
                network
                    .dataManagers(ORG2)
                    .updateDataManager(
                        UpdateDataManagerParam.newBuilder().setKey(key).setName("mine").build()));

    assertEquals(ORG1, manager.getOwner());
    assertEquals(List.of(ORG1), manager.getLogsPermission().getAuthorizedIdsList());
    assertEquals(false, manager.getPermissions().getProcess().getPublic());
    assertEquals("renamed", get(ORG1, key).getName());
    assertEquals(Status.Code.PERMISSION_DENIED, stranger.getStatus().getCode());
    assertEquals(EventKind.EVENT_ASSET_UPDATED, network.eventsOf(key).get(1).getEventKind());
    StatusRuntimeException noLogsPermission =
        refused(
            () ->
                network
                    .dataManagers(ORG1)
                    .registerDataManager(
                        NewDataManager.newBuilder()
                            .setKey(key())
                            .setName("dm")
                            .setNewPermissions(PUBLIC)
                            .setDescription(AssetMessages.address("d", key()))
                            .setOpener(AssetMessages.address("o", key()))
                            .build()));
    assertEquals(
        "OE0101: datamanager is not valid: logs_permission: cannot be blank.",
        noLogsPermission.getStatus().getDescription());
    assertEquals(
        1,
        network
            .dataManagers(ORG2)
            .queryDataManagers(QueryDataManagersParam.getDefaultInstance())
            .getDataManagersCount());
  }

  @Test
  void samplesAreRegisteredByTheOwnerOfTheirManagers() {
    String manager = network.dataManager(ORG1, PUBLIC);
    String foreign = network.dataManager(ORG2, PUBLIC);

    List<String> keys = network.dataSamples(ORG1, manager, 3);
    StatusRuntimeException notOwner = refused(() -> network.dataSamples(ORG1, foreign, 1));
    StatusRuntimeException missing = refused(() -> network.dataSamples(ORG1, key(), 1));
    StatusRuntimeException twice =
        refused(
            () ->
                network
                    .dataSamples(ORG1)
                    .registerDataSamples(
                        RegisterDataSamplesParam.newBuilder()
                            .addSamples(
                                NewDataSample.newBuilder()
                                    .setKey(keys.get(0))
                                    .addDataManagerKeys(manager)
                                    .setChecksum("c".repeat(64)))
                            .build()));

    assertEquals(3, network.eventsOf(keys.get(0)).size() + 2);
    assertEquals(
        "OE0102: requester does not own the datamanager \"" + foreign + "\"",
        notOwner.getStatus().getDescription());
    assertEquals(Status.Code.NOT_FOUND, missing.getStatus().getCode());
    assertEquals(Status.Code.ALREADY_EXISTS, twice.getStatus().getCode());
    assertEquals(
        0,
        network
            .dataSamples(ORG1)
            .registerDataSamples(RegisterDataSamplesParam.getDefaultInstance())
            .getDataSamplesCount(),
        "an empty batch does nothing");
  }

  @Test
  void samplesAreLinkedToMoreManagersAndDatasetsListThem() {
    String first = network.dataManager(ORG1, PUBLIC);
    String second = network.dataManager(ORG1, PUBLIC);
    List<String> keys = new ArrayList<>(network.dataSamples(ORG1, first, 2));

    network
        .dataSamples(ORG1)
        .updateDataSamples(
            UpdateDataSamplesParam.newBuilder()
                .addKeys(keys.get(1))
                .addDataManagerKeys(second)
                .addDataManagerKeys(first)
                .build());
    DataSample linked =
        network
            .dataSamples(ORG2)
            .getDataSample(GetDataSampleParam.newBuilder().setKey(keys.get(1)).build());
    Dataset dataset = dataset(first);

    assertEquals(List.of(first, second), linked.getDataManagerKeysList());
    assertEquals(keys, dataset.getDataSampleKeysList());
    assertEquals(first, dataset.getDataManager().getKey());
    assertEquals(List.of(keys.get(1)), dataset(second).getDataSampleKeysList());
    assertEquals(
        EventKind.EVENT_ASSET_UPDATED, network.eventsOf(keys.get(1)).get(1).getEventKind());
    assertEquals(
        List.of(keys.get(0)),
        network
            .dataSamples(ORG2)
            .queryDataSamples(
                QueryDataSamplesParam.newBuilder()
                    .setFilter(DataSampleQueryFilter.newBuilder().addKeys(keys.get(0)))
                    .build())
            .getDataSamplesList()
            .stream()
            .map(DataSample::getKey)
            .toList());
    StatusRuntimeException noKeys =
        refused(
            () ->
                network
                    .dataSamples(ORG1)
                    .updateDataSamples(
                        UpdateDataSamplesParam.newBuilder().addDataManagerKeys(first).build()));
    assertEquals(Status.Code.INVALID_ARGUMENT, noKeys.getStatus().getCode());
    StatusRuntimeException strangerLinks =
        refused(
            () ->
                network
                    .dataSamples(ORG2)
                    .updateDataSamples(
                        UpdateDataSamplesParam.newBuilder()
                            .addKeys(keys.get(0))
                            .addDataManagerKeys(network.dataManager(ORG2, PUBLIC))
                            .build()));
    assertEquals(Status.Code.PERMISSION_DENIED, strangerLinks.getStatus().getCode());
  }

  private DataManager get(String organization, String key) {
    return network
        .dataManagers(organization)
        .getDataManager(GetDataManagerParam.newBuilder().setKey(key).build());
  }

  private Dataset dataset(String key) {
    return org.substra.node.orchestrator.OrchestratorChannel.as(
            DatasetServiceGrpc.newBlockingStub(orchestrator.channel()), ORG2, Network.CHANNEL)
        .getDataset(GetDatasetParam.newBuilder().setKey(key).build());
  }
}
