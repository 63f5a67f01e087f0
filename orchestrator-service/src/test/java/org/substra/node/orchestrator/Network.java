package org.substra.node.orchestrator;

import static org.substra.node.orchestrator.OrchestratorChannel.as;
import static org.substra.node.testing.AssetMessages.PUBLIC;
import static org.substra.node.testing.AssetMessages.address;
import static org.substra.node.testing.AssetMessages.assetInput;
import static org.substra.node.testing.AssetMessages.input;
import static org.substra.node.testing.AssetMessages.key;
import static org.substra.node.testing.AssetMessages.parentInput;

import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.ManagedChannel;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.substra.node.orchestrator.protocol.ApplyFunctionActionParam;
import org.substra.node.orchestrator.protocol.ApplyTaskActionParam;
import org.substra.node.orchestrator.protocol.AssetKind;
import org.substra.node.orchestrator.protocol.ComputePlanServiceGrpc;
import org.substra.node.orchestrator.protocol.ComputePlanServiceGrpc.ComputePlanServiceBlockingStub;
import org.substra.node.orchestrator.protocol.ComputeTask;
import org.substra.node.orchestrator.protocol.ComputeTaskAction;
import org.substra.node.orchestrator.protocol.ComputeTaskServiceGrpc;
import org.substra.node.orchestrator.protocol.ComputeTaskServiceGrpc.ComputeTaskServiceBlockingStub;
import org.substra.node.orchestrator.protocol.DataManagerServiceGrpc;
import org.substra.node.orchestrator.protocol.DataManagerServiceGrpc.DataManagerServiceBlockingStub;
import org.substra.node.orchestrator.protocol.DataSampleServiceGrpc;
import org.substra.node.orchestrator.protocol.DataSampleServiceGrpc.DataSampleServiceBlockingStub;
import org.substra.node.orchestrator.protocol.Event;
import org.substra.node.orchestrator.protocol.FailureReportServiceGrpc;
import org.substra.node.orchestrator.protocol.FailureReportServiceGrpc.FailureReportServiceBlockingStub;
import org.substra.node.orchestrator.protocol.FunctionAction;
import org.substra.node.orchestrator.protocol.FunctionOutput;
import org.substra.node.orchestrator.protocol.FunctionServiceGrpc;
import org.substra.node.orchestrator.protocol.FunctionServiceGrpc.FunctionServiceBlockingStub;
import org.substra.node.orchestrator.protocol.ModelServiceGrpc;
import org.substra.node.orchestrator.protocol.ModelServiceGrpc.ModelServiceBlockingStub;
import org.substra.node.orchestrator.protocol.NewComputePlan;
import org.substra.node.orchestrator.protocol.NewComputeTask;
import org.substra.node.orchestrator.protocol.NewComputeTaskOutput;
import org.substra.node.orchestrator.protocol.NewDataManager;
import org.substra.node.orchestrator.protocol.NewDataSample;
import org.substra.node.orchestrator.protocol.NewFunction;
import org.substra.node.orchestrator.protocol.NewModel;
import org.substra.node.orchestrator.protocol.NewPermissions;
import org.substra.node.orchestrator.protocol.OrganizationServiceGrpc;
import org.substra.node.orchestrator.protocol.PerformanceServiceGrpc;
import org.substra.node.orchestrator.protocol.PerformanceServiceGrpc.PerformanceServiceBlockingStub;
import org.substra.node.orchestrator.protocol.RegisterDataSamplesParam;
import org.substra.node.orchestrator.protocol.RegisterModelsParam;
import org.substra.node.orchestrator.protocol.RegisterOrganizationParam;
import org.substra.node.orchestrator.protocol.RegisterTasksParam;
import org.substra.node.orchestrator.protocol.UpdateFunctionParam;

/**
 * Test client of the orchestrator acting for organizations of {@code mychannel}, with the asset
 * shapes Substra clients send (spec §3.8.1 conventions: train, predict, test, aggregate).
 */
public final class Network {

  public static final String CHANNEL = "mychannel";
  public static final String ORG1 = "MyOrg1MSP";
  public static final String ORG2 = "MyOrg2MSP";

  public static final NewPermissions PRIVATE = NewPermissions.newBuilder().setPublic(false).build();

  private final ManagedChannel channel;
  private final Pool pool;

  public Network(ManagedChannel channel, Pool pool) {
    this.channel = channel;
    this.pool = pool;
  }

  public void join(String... organizations) {
    for (String organization : organizations) {
      as(OrganizationServiceGrpc.newBlockingStub(channel), organization, CHANNEL)
          .registerOrganization(
              RegisterOrganizationParam.newBuilder()
                  .setAddress("http://" + organization.toLowerCase() + ".example:8000")
                  .build());
    }
  }

  public FunctionServiceBlockingStub functions(String organization) {
    return as(FunctionServiceGrpc.newBlockingStub(channel), organization, CHANNEL);
  }

  public DataManagerServiceBlockingStub dataManagers(String organization) {
    return as(DataManagerServiceGrpc.newBlockingStub(channel), organization, CHANNEL);
  }

  public DataSampleServiceBlockingStub dataSamples(String organization) {
    return as(DataSampleServiceGrpc.newBlockingStub(channel), organization, CHANNEL);
  }

  public ComputePlanServiceBlockingStub plans(String organization) {
    return as(ComputePlanServiceGrpc.newBlockingStub(channel), organization, CHANNEL);
  }

  public ComputeTaskServiceBlockingStub tasks(String organization) {
    return as(ComputeTaskServiceGrpc.newBlockingStub(channel), organization, CHANNEL);
  }

  public ModelServiceBlockingStub models(String organization) {
    return as(ModelServiceGrpc.newBlockingStub(channel), organization, CHANNEL);
  }

  public PerformanceServiceBlockingStub performances(String organization) {
    return as(PerformanceServiceGrpc.newBlockingStub(channel), organization, CHANNEL);
  }

  public FailureReportServiceBlockingStub failureReports(String organization) {
    return as(FailureReportServiceGrpc.newBlockingStub(channel), organization, CHANNEL);
  }

  /**
   * Events of the channel about {@code assetKey}, in position order: read from the log itself,
   * since QueryEvents orders one transaction's events by id.
   */
  public List<Event> eventsOf(String assetKey) {
    List<Event> events = new ArrayList<>();
    pool.preparedQuery(
            "SELECT payload FROM events WHERE channel = $1 AND asset_key = $2 ORDER BY position")
        .execute(Tuple.of(CHANNEL, assetKey))
        .await()
        .atMost(Duration.ofSeconds(10))
        .forEach(
            row -> {
              try {
                events.add(Event.parseFrom(row.getBuffer(0).getBytes()));
              } catch (InvalidProtocolBufferException e) {
                throw new IllegalStateException(e);
              }
            });
    return events;
  }

  // ---- functions

  public static NewFunction.Builder newFunction(String key) {
    return NewFunction.newBuilder()
        .setKey(key)
        .setName("function " + key.substring(0, 8))
        .setDescription(address("function-description", key))
        .setArchive(address("function-archive", key))
        .setNewPermissions(PUBLIC);
  }

  public static NewFunction.Builder trainFunction(String key) {
    return newFunction(key)
        .putInputs("datasamples", input(AssetKind.ASSET_DATA_SAMPLE, true, false))
        .putInputs("opener", input(AssetKind.ASSET_DATA_MANAGER, false, false))
        .putInputs("shared", input(AssetKind.ASSET_MODEL, true, true))
        .putOutputs("shared", output(AssetKind.ASSET_MODEL, false));
  }

  public static NewFunction.Builder testFunction(String key) {
    return newFunction(key)
        .putInputs("datasamples", input(AssetKind.ASSET_DATA_SAMPLE, true, false))
        .putInputs("opener", input(AssetKind.ASSET_DATA_MANAGER, false, false))
        .putInputs("predictions", input(AssetKind.ASSET_MODEL, false, false))
        .putOutputs("performance", output(AssetKind.ASSET_PERFORMANCE, false));
  }

  public static NewFunction.Builder aggregateFunction(String key) {
    return newFunction(key)
        .putInputs("shared", input(AssetKind.ASSET_MODEL, true, false))
        .putOutputs("shared", output(AssetKind.ASSET_MODEL, false));
  }

  public static FunctionOutput output(AssetKind kind, boolean multiple) {
    return FunctionOutput.newBuilder().setKind(kind).setMultiple(multiple).build();
  }

  public String function(String organization, NewFunction function) {
    return functions(organization).registerFunction(function).getKey();
  }

  /** A registered function whose image was built. */
  public String readyFunction(String organization, NewFunction function) {
    String key = function(organization, function);
    functionAction(organization, key, FunctionAction.FUNCTION_ACTION_BUILDING);
    functions(organization)
        .updateFunction(
            UpdateFunctionParam.newBuilder()
                .setKey(key)
                .setName(function.getName())
                .setImage(address("function-image", key))
                .build());
    functionAction(organization, key, FunctionAction.FUNCTION_ACTION_READY);
    return key;
  }

  public void functionAction(String organization, String key, FunctionAction action) {
    functions(organization)
        .applyFunctionAction(
            ApplyFunctionActionParam.newBuilder().setFunctionKey(key).setAction(action).build());
  }

  // ---- data

  public String dataManager(String organization, NewPermissions permissions) {
    String key = key();
    dataManagers(organization)
        .registerDataManager(
            NewDataManager.newBuilder()
                .setKey(key)
                .setName("data manager")
                .setNewPermissions(permissions)
                .setDescription(address("data-manager-description", key))
                .setOpener(address("opener", key))
                .setLogsPermission(permissions)
                .build());
    return key;
  }

  public List<String> dataSamples(String organization, String dataManager, int count) {
    RegisterDataSamplesParam.Builder batch = RegisterDataSamplesParam.newBuilder();
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String key = key();
      keys.add(key);
      batch.addSamples(
          NewDataSample.newBuilder()
              .setKey(key)
              .addDataManagerKeys(dataManager)
              .setChecksum("b".repeat(64)));
    }
    dataSamples(organization).registerDataSamples(batch.build());
    return keys;
  }

  // ---- plans and tasks

  public String plan(String organization) {
    String key = key();
    plans(organization)
        .registerPlan(NewComputePlan.newBuilder().setKey(key).setName("plan").setTag("t").build());
    return key;
  }

  public static NewComputeTaskOutput taskOutput(
      NewPermissions permissions, boolean transientOutput) {
    return NewComputeTaskOutput.newBuilder()
        .setPermissions(permissions)
        .setTransient(transientOutput)
        .build();
  }

  /** A train task on a data manager and its samples, optionally fed by parents' models. */
  public static NewComputeTask.Builder trainTask(
      String plan, String function, String dataManager, List<String> samples, String... parents) {
    NewComputeTask.Builder task =
        NewComputeTask.newBuilder()
            .setKey(key())
            .setFunctionKey(function)
            .setComputePlanKey(plan)
            .putMetadata("__tag__", "t")
            .addInputs(assetInput("opener", dataManager));
    samples.forEach(sample -> task.addInputs(assetInput("datasamples", sample)));
    for (String parent : parents) {
      task.addInputs(parentInput("shared", parent, "shared"));
    }
    return task.putOutputs("shared", taskOutput(PUBLIC, false));
  }

  public List<ComputeTask> register(String organization, NewComputeTask.Builder... tasks) {
    RegisterTasksParam.Builder batch = RegisterTasksParam.newBuilder();
    for (NewComputeTask.Builder task : tasks) {
      batch.addTasks(task);
    }
    return tasks(organization).registerTasks(batch.build()).getTasksList();
  }

  public void taskAction(String organization, String key, ComputeTaskAction action) {
    tasks(organization)
        .applyTaskAction(
            ApplyTaskActionParam.newBuilder().setComputeTaskKey(key).setAction(action).build());
  }

  public String model(String organization, String task, String output) {
    String key = key();
    models(organization)
        .registerModels(
            RegisterModelsParam.newBuilder()
                .addModels(
                    NewModel.newBuilder()
                        .setKey(key)
                        .setComputeTaskKey(task)
                        .setComputeTaskOutputIdentifier(output)
                        .setAddress(address("model", key)))
                .build());
    return key;
  }

  public ComputeTask task(String organization, String key) {
    return tasks(organization)
        .getTask(
            org.substra.node.orchestrator.protocol.GetTaskParam.newBuilder().setKey(key).build());
  }
}
