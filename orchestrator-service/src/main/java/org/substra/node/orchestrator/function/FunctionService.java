package org.substra.node.orchestrator.function;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import org.substra.node.orchestrator.asset.PermissionRules;
import org.substra.node.orchestrator.asset.Validator;
import org.substra.node.orchestrator.computetask.TaskLifecycle;
import org.substra.node.orchestrator.computetask.TaskRepository;
import org.substra.node.orchestrator.computetask.TaskTransition;
import org.substra.node.orchestrator.error.OrchestrationException;
import org.substra.node.orchestrator.identity.Caller;
import org.substra.node.orchestrator.organization.OrganizationRepository;
import org.substra.node.orchestrator.protocol.Addressable;
import org.substra.node.orchestrator.protocol.AssetKind;
import org.substra.node.orchestrator.protocol.ComputeTaskStatus;
import org.substra.node.orchestrator.protocol.Event;
import org.substra.node.orchestrator.protocol.EventKind;
import org.substra.node.orchestrator.protocol.Function;
import org.substra.node.orchestrator.protocol.FunctionAction;
import org.substra.node.orchestrator.protocol.FunctionInput;
import org.substra.node.orchestrator.protocol.FunctionOutput;
import org.substra.node.orchestrator.protocol.FunctionStatus;
import org.substra.node.orchestrator.protocol.NewFunction;
import org.substra.node.orchestrator.storage.Page;
import org.substra.node.orchestrator.storage.Transactions;
import org.substra.node.orchestrator.storage.Tx;

/** Functions and their build state machine (spec §3.4). */
@ApplicationScoped
public class FunctionService {

  public static final String USER_ACTION = "User action";

  private final Transactions transactions;
  private final FunctionRepository functions;
  private final OrganizationRepository organizations;
  private final TaskRepository tasks;
  private final TaskLifecycle lifecycle;

  FunctionService(
      Transactions transactions,
      FunctionRepository functions,
      OrganizationRepository organizations,
      TaskRepository tasks,
      TaskLifecycle lifecycle) {
    this.transactions = transactions;
    this.functions = functions;
    this.organizations = organizations;
    this.tasks = tasks;
    this.lifecycle = lifecycle;
  }

  public Uni<Function> register(Caller caller, NewFunction input) {
    return Uni.createFrom()
        .item(input)
        .invoke(FunctionService::validate)
        .flatMap(valid -> transactions.write(caller, tx -> insert(tx, input)));
  }

  private Uni<Function> insert(Tx tx, NewFunction input) {
    return functions
        .find(tx, input.getKey())
        .flatMap(
            existing -> {
              if (existing != null) {
                throw OrchestrationException.conflict("function", input.getKey());
              }
              return organizations.ids(tx);
            })
        .flatMap(
            members -> {
              Function function =
                  Function.newBuilder()
                      .setKey(input.getKey())
                      .setName(input.getName())
                      .setDescription(input.getDescription())
                      .setArchive(input.getArchive())
                      .setPermissions(
                          PermissionRules.createPermissions(
                              tx.caller().organization(), input.getNewPermissions(), members))
                      .setOwner(tx.caller().organization())
                      .setCreationDate(tx.nowTimestamp())
                      .putAllMetadata(input.getMetadataMap())
                      .putAllInputs(input.getInputsMap())
                      .putAllOutputs(input.getOutputsMap())
                      .setStatus(FunctionStatus.FUNCTION_STATUS_WAITING)
                      .setImage(Addressable.getDefaultInstance())
                      .build();
              tx.emit(event(function, EventKind.EVENT_ASSET_CREATED));
              return functions.insert(tx, function).replaceWith(function);
            });
  }

  public Uni<Function> get(Caller caller, String key) {
    return transactions.read(caller, tx -> existing(tx, key));
  }

  public Uni<List<Function>> query(Caller caller, String computePlanKey, Page page) {
    return transactions.read(caller, tx -> functions.query(tx, computePlanKey, page));
  }

  public Uni<Void> update(Caller caller, String key, String name, Addressable image) {
    return Uni.createFrom()
        .voidItem()
        .invoke(() -> Validator.of("function").uuid("key", key).name("name", name).validate())
        .flatMap(
            valid ->
                transactions.write(
                    caller,
                    tx ->
                        owned(tx, key)
                            .flatMap(
                                function -> {
                                  Function.Builder updated = function.toBuilder().setName(name);
                                  if (!image.getChecksum().isEmpty()) {
                                    updated.setImage(image);
                                  }
                                  if (updated.getImage().getChecksum().isEmpty()
                                      && updated.getStatus()
                                          == FunctionStatus.FUNCTION_STATUS_READY) {
                                    throw OrchestrationException.invalid(
                                        "function",
                                        "Image checksum should not be empty when function status"
                                            + " is ready");
                                  }
                                  Function result = updated.build();
                                  tx.emit(event(result, EventKind.EVENT_ASSET_UPDATED));
                                  return functions.update(tx, result);
                                })));
  }

  public Uni<Void> applyAction(Caller caller, String key, FunctionAction action) {
    return Uni.createFrom()
        .item(() -> FunctionTransition.of(action))
        .flatMap(
            transition ->
                transactions.write(
                    caller,
                    tx ->
                        owned(tx, key)
                            .flatMap(
                                function -> transition(tx, function, transition, USER_ACTION))));
  }

  /**
   * Moves a function through its state machine and propagates the change to its tasks waiting on
   * the build (spec §3.4), after the function's own event.
   */
  public Uni<Void> transition(
      Tx tx, Function function, FunctionTransition transition, String reason) {
    transition.checkFrom(function.getStatus());
    Function updated = function.toBuilder().setStatus(transition.target()).build();
    tx.emit(event(updated, EventKind.EVENT_ASSET_UPDATED).putMetadata("reason", reason));
    Uni<Void> stored = functions.update(tx, updated);
    String key = function.getKey();
    return switch (transition) {
      case BUILDING ->
          stored.flatMap(
              ignored ->
                  tasks
                      .ofFunction(tx, key, ComputeTaskStatus.STATUS_WAITING_FOR_BUILDER_SLOT)
                      .flatMap(
                          waiting -> lifecycle.apply(tx, waiting, TaskTransition.BUILDING, reason))
                      .replaceWithVoid());
      case READY ->
          stored.flatMap(
              ignored ->
                  tasks
                      .ofFunction(tx, key, ComputeTaskStatus.STATUS_BUILDING)
                      .flatMap(
                          built ->
                              lifecycle.buildFinished(
                                  tx, built, "Function " + key + " finished building")));
      case FAILED -> propagate(tx, stored, key, TaskTransition.FAILED, reason);
      case CANCELED -> propagate(tx, stored, key, TaskTransition.CANCELED, reason);
    };
  }

  private Uni<Void> propagate(
      Tx tx, Uni<Void> stored, String key, TaskTransition transition, String reason) {
    return stored.flatMap(
        ignored ->
            tasks
                .ofFunction(tx, key, ComputeTaskStatus.STATUS_BUILDING)
                .flatMap(building -> lifecycle.apply(tx, building, transition, reason))
                .replaceWithVoid());
  }

  /** The function, or NOT_FOUND. */
  public Uni<Function> existing(Tx tx, String key) {
    return functions
        .find(tx, key)
        .invoke(
            function -> {
              if (function == null) {
                throw OrchestrationException.notFound("function", key);
              }
            });
  }

  /** The function if the caller owns it: NOT_FOUND, then PERMISSION_DENIED. */
  public Uni<Function> owned(Tx tx, String key) {
    return existing(tx, key)
        .invoke(
            function -> {
              if (!function.getOwner().equals(tx.caller().organization())) {
                throw OrchestrationException.permissionDenied("only function owner can update it");
              }
            });
  }

  private static Event.Builder event(Function function, EventKind kind) {
    return Event.newBuilder()
        .setAssetKey(function.getKey())
        .setAssetKind(AssetKind.ASSET_FUNCTION)
        .setEventKind(kind)
        .setFunction(function);
  }

  static void validate(NewFunction input) {
    Validator validator =
        Validator.of("function")
            .uuid("key", input.getKey())
            .name("name", input.getName())
            .addressable("description", input.hasDescription(), input.getDescription())
            .addressable("archive", input.hasArchive(), input.getArchive())
            .present("new_permissions", input.hasNewPermissions())
            .metadata(input.getMetadataMap());
    int dataManagers = 0;
    int dataSamples = 0;
    for (Map.Entry<String, FunctionInput> entry : input.getInputsMap().entrySet()) {
      String field = "inputs[" + entry.getKey() + "]";
      FunctionInput in = entry.getValue();
      validator.name(field + ".identifier", entry.getKey());
      switch (in.getKind()) {
        case ASSET_MODEL -> {}
        case ASSET_DATA_SAMPLE -> dataSamples++;
        case ASSET_DATA_MANAGER -> {
          dataManagers++;
          validator.check(
              field,
              !in.getMultiple() && !in.getOptional(),
              "data manager input cannot be multiple or optional");
        }
        default ->
            validator.error(
                field + ".kind",
                "must be one of ASSET_MODEL, ASSET_DATA_SAMPLE, ASSET_DATA_MANAGER");
      }
    }
    validator
        .check("inputs", dataManagers <= 1, "there can be at most one data manager input")
        .check(
            "inputs",
            (dataManagers == 1) == (dataSamples > 0),
            "a data manager input requires data sample inputs, and data sample inputs require a"
                + " data manager input");
    for (Map.Entry<String, FunctionOutput> entry : input.getOutputsMap().entrySet()) {
      String field = "outputs[" + entry.getKey() + "]";
      FunctionOutput out = entry.getValue();
      validator.name(field + ".identifier", entry.getKey());
      switch (out.getKind()) {
        case ASSET_MODEL -> {}
        case ASSET_PERFORMANCE ->
            validator.check(field, !out.getMultiple(), "performance output cannot be multiple");
        default ->
            validator.error(field + ".kind", "must be one of ASSET_MODEL, ASSET_PERFORMANCE");
      }
    }
    validator.validate();
  }
}
