package org.substra.node.orchestrator.datasample;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.substra.node.orchestrator.asset.Validator;
import org.substra.node.orchestrator.datamanager.DataManagerRepository;
import org.substra.node.orchestrator.error.OrchestrationException;
import org.substra.node.orchestrator.identity.Caller;
import org.substra.node.orchestrator.protocol.AssetKind;
import org.substra.node.orchestrator.protocol.DataManager;
import org.substra.node.orchestrator.protocol.DataSample;
import org.substra.node.orchestrator.protocol.Dataset;
import org.substra.node.orchestrator.protocol.Event;
import org.substra.node.orchestrator.protocol.EventKind;
import org.substra.node.orchestrator.protocol.NewDataSample;
import org.substra.node.orchestrator.storage.Page;
import org.substra.node.orchestrator.storage.Transactions;
import org.substra.node.orchestrator.storage.Tx;

/** Data samples (spec §3.6): registered and linked by the owner of their data managers. */
@ApplicationScoped
public class DataSampleService {

  private final Transactions transactions;
  private final DataSampleRepository samples;
  private final DataManagerRepository dataManagers;

  DataSampleService(
      Transactions transactions, DataSampleRepository samples, DataManagerRepository dataManagers) {
    this.transactions = transactions;
    this.samples = samples;
    this.dataManagers = dataManagers;
  }

  public Uni<List<DataSample>> register(Caller caller, List<NewDataSample> inputs) {
    if (inputs.isEmpty()) {
      return Uni.createFrom().item(List.of());
    }
    return transactions.write(caller, tx -> insert(tx, inputs));
  }

  private Uni<List<DataSample>> insert(Tx tx, List<NewDataSample> inputs) {
    Set<String> managerKeys = new LinkedHashSet<>();
    List<String> keys = new ArrayList<>();
    inputs.forEach(
        input -> {
          managerKeys.addAll(input.getDataManagerKeysList());
          keys.add(input.getKey());
        });
    return dataManagers
        .findAll(tx, managerKeys)
        .flatMap(
            managers ->
                samples
                    .findAll(tx, keys)
                    .map(
                        existing -> {
                          List<DataSample> created = new ArrayList<>(inputs.size());
                          for (NewDataSample input : inputs) {
                            validate(input);
                            checkOwnership(tx, managers, input.getDataManagerKeysList());
                            if (existing.containsKey(input.getKey())) {
                              throw OrchestrationException.conflict("datasample", input.getKey());
                            }
                            DataSample sample =
                                DataSample.newBuilder()
                                    .setKey(input.getKey())
                                    .addAllDataManagerKeys(input.getDataManagerKeysList())
                                    .setOwner(tx.caller().organization())
                                    .setChecksum(input.getChecksum())
                                    .setCreationDate(tx.nowTimestamp())
                                    .build();
                            created.add(sample);
                            tx.emit(event(sample, EventKind.EVENT_ASSET_CREATED));
                          }
                          return created;
                        }))
        .flatMap(created -> samples.insertAll(tx, created).replaceWith(created));
  }

  public Uni<Void> update(Caller caller, List<String> keys, List<String> managerKeys) {
    return Uni.createFrom()
        .voidItem()
        .invoke(
            () -> {
              Validator validator =
                  Validator.of("datasample").check("keys", !keys.isEmpty(), "cannot be blank");
              keys.forEach(key -> validator.uuid("keys", key));
              managerKeys.forEach(key -> validator.uuid("data_manager_keys", key));
              validator.validate();
            })
        .flatMap(
            valid ->
                transactions.write(
                    caller,
                    tx ->
                        dataManagers
                            .findAll(tx, managerKeys)
                            .invoke(managers -> checkOwnership(tx, managers, managerKeys))
                            .flatMap(owned -> samples.findAll(tx, keys))
                            .flatMap(existing -> link(tx, keys, managerKeys, existing))));
  }

  private Uni<Void> link(
      Tx tx, List<String> keys, List<String> managerKeys, Map<String, DataSample> existing) {
    List<DataSample> updated = new ArrayList<>(keys.size());
    for (String key : keys) {
      DataSample sample = existing.get(key);
      if (sample == null) {
        throw OrchestrationException.notFound("datasample", key);
      }
      if (!sample.getOwner().equals(tx.caller().organization())) {
        throw OrchestrationException.permissionDenied(
            "requester does not own the datasample \"" + key + "\"");
      }
      Set<String> linked = new LinkedHashSet<>(sample.getDataManagerKeysList());
      linked.addAll(managerKeys);
      DataSample next =
          sample.toBuilder().clearDataManagerKeys().addAllDataManagerKeys(linked).build();
      updated.add(next);
      tx.emit(event(next, EventKind.EVENT_ASSET_UPDATED));
    }
    return samples.updateAll(tx, updated);
  }

  public Uni<DataSample> get(Caller caller, String key) {
    return transactions.read(
        caller,
        tx ->
            samples
                .find(tx, key)
                .invoke(
                    sample -> {
                      if (sample == null) {
                        throw OrchestrationException.notFound("datasample", key);
                      }
                    }));
  }

  public Uni<List<DataSample>> query(Caller caller, List<String> keys, Page page) {
    return transactions.read(caller, tx -> samples.query(tx, keys, page));
  }

  /** GetDataset: a data manager with its samples, oldest first. */
  public Uni<Dataset> dataset(Caller caller, String key) {
    return transactions.read(
        caller,
        tx ->
            dataManagers
                .find(tx, key)
                .flatMap(
                    manager -> {
                      if (manager == null) {
                        throw OrchestrationException.notFound("datamanager", key);
                      }
                      return samples
                          .keysOf(tx, manager.getKey())
                          .map(
                              sampleKeys ->
                                  Dataset.newBuilder()
                                      .setDataManager(manager)
                                      .addAllDataSampleKeys(sampleKeys)
                                      .build());
                    }));
  }

  private static void validate(NewDataSample input) {
    Validator validator = Validator.of("datasample").uuid("key", input.getKey());
    input.getDataManagerKeysList().forEach(key -> validator.uuid("data_manager_keys", key));
    validator.checksum("checksum", input.getChecksum()).validate();
  }

  private static void checkOwnership(Tx tx, Map<String, DataManager> managers, List<String> keys) {
    for (String key : keys) {
      DataManager manager = managers.get(key);
      if (manager == null) {
        throw OrchestrationException.notFound("datamanager", key);
      }
      if (!manager.getOwner().equals(tx.caller().organization())) {
        throw OrchestrationException.permissionDenied(
            "requester does not own the datamanager \"" + key + "\"");
      }
    }
  }

  private static Event.Builder event(DataSample sample, EventKind kind) {
    return Event.newBuilder()
        .setAssetKey(sample.getKey())
        .setAssetKind(AssetKind.ASSET_DATA_SAMPLE)
        .setEventKind(kind)
        .setDataSample(sample);
  }
}
