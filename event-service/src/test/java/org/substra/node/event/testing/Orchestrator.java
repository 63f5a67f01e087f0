package org.substra.node.event.testing;

import static org.substra.node.testing.AssetMessages.PUBLIC;
import static org.substra.node.testing.AssetMessages.address;
import static org.substra.node.testing.AssetMessages.assetInput;
import static org.substra.node.testing.AssetMessages.input;
import static org.substra.node.testing.AssetMessages.key;
import static org.substra.node.testing.AssetMessages.output;
import static org.substra.node.testing.AssetMessages.parentInput;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.stub.AbstractStub;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.substra.node.orchestrator.protocol.ApplyFunctionActionParam;
import org.substra.node.orchestrator.protocol.ApplyPlanActionParam;
import org.substra.node.orchestrator.protocol.ApplyTaskActionParam;
import org.substra.node.orchestrator.protocol.AssetKind;
import org.substra.node.orchestrator.protocol.ComputePlanAction;
import org.substra.node.orchestrator.protocol.ComputePlanServiceGrpc;
import org.substra.node.orchestrator.protocol.ComputeTask;
import org.substra.node.orchestrator.protocol.ComputeTaskAction;
import org.substra.node.orchestrator.protocol.ComputeTaskServiceGrpc;
import org.substra.node.orchestrator.protocol.DataManagerServiceGrpc;
import org.substra.node.orchestrator.protocol.DataSampleServiceGrpc;
import org.substra.node.orchestrator.protocol.ErrorType;
import org.substra.node.orchestrator.protocol.FailedAssetKind;
import org.substra.node.orchestrator.protocol.FailureReportServiceGrpc;
import org.substra.node.orchestrator.protocol.FunctionAction;
import org.substra.node.orchestrator.protocol.FunctionServiceGrpc;
import org.substra.node.orchestrator.protocol.ModelServiceGrpc;
import org.substra.node.orchestrator.protocol.NewComputePlan;
import org.substra.node.orchestrator.protocol.NewComputeTask;
import org.substra.node.orchestrator.protocol.NewComputeTaskOutput;
import org.substra.node.orchestrator.protocol.NewDataManager;
import org.substra.node.orchestrator.protocol.NewDataSample;
import org.substra.node.orchestrator.protocol.NewFailureReport;
import org.substra.node.orchestrator.protocol.NewFunction;
import org.substra.node.orchestrator.protocol.NewModel;
import org.substra.node.orchestrator.protocol.NewPerformance;
import org.substra.node.orchestrator.protocol.PerformanceServiceGrpc;
import org.substra.node.orchestrator.protocol.ProfilingServiceGrpc;
import org.substra.node.orchestrator.protocol.ProfilingStep;
import org.substra.node.orchestrator.protocol.RegisterDataSamplesParam;
import org.substra.node.orchestrator.protocol.RegisterModelsParam;
import org.substra.node.orchestrator.protocol.RegisterTasksParam;
import org.substra.node.orchestrator.protocol.UpdateFunctionParam;
import org.substra.node.orchestrator.protocol.client.CallerIdentity;
import org.substra.node.testing.TestOrchestrator;

/**
 * A client of the real orchestrator acting for the organizations of {@code mychannel}, with the
 * asset shapes Substra clients send (train and test functions, orchestrator-spec §3.8.1).
 */
public final class Orchestrator implements AutoCloseable {

  public static final String CHANNEL = "mychannel";
  public static final String ORG1 = "MyOrg1MSP";
  public static final String ORG2 = "MyOrg2MSP";

  private final ManagedChannel channel;

  public Orchestrator(int port) {
    channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
  }

  public static Orchestrator connect() {
    return new Orchestrator(OrchestratorProcess.get().grpcPort());
  }

  private <S extends AbstractStub<S>> S as(S stub, String organization) {
    return CallerIdentity.as(stub, organization, CHANNEL).withDeadlineAfter(20, TimeUnit.SECONDS);
  }

  /** Registers the organizations, once per orchestrator database. */
  public void join(String... organizations) {
    for (String organization : organizations) {
      TestOrchestrator.join(channel, organization);
    }
  }

  // ---- functions

  public static NewFunction.Builder newFunction(String key, String name) {
    return NewFunction.newBuilder()
        .setKey(key)
        .setName(name)
        .setDescription(address("function-description", key))
        .setArchive(address("function-archive", key))
        .setNewPermissions(PUBLIC)
        .putInputs("datasamples", input(AssetKind.ASSET_DATA_SAMPLE, true, false))
        .putInputs("opener", input(AssetKind.ASSET_DATA_MANAGER, false, false));
  }

  /** Train: data and optional parent models in, a model out. */
  public String trainFunction(String organization) {
    String key = key();
    as(FunctionServiceGrpc.newBlockingStub(channel), organization)
        .registerFunction(
            newFunction(key, "train")
                .putInputs("shared", input(AssetKind.ASSET_MODEL, true, true))
                .putOutputs("shared", output(AssetKind.ASSET_MODEL))
                .build());
    return key;
  }

  /** Test: data and a model in, a performance out. */
  public String testFunction(String organization) {
    String key = key();
    as(FunctionServiceGrpc.newBlockingStub(channel), organization)
        .registerFunction(
            newFunction(key, "test")
                .putInputs("predictions", input(AssetKind.ASSET_MODEL, false, false))
                .putOutputs("performance", output(AssetKind.ASSET_PERFORMANCE))
                .build());
    return key;
  }

  public void functionAction(String organization, String function, FunctionAction action) {
    as(FunctionServiceGrpc.newBlockingStub(channel), organization)
        .applyFunctionAction(
            ApplyFunctionActionParam.newBuilder()
                .setFunctionKey(function)
                .setAction(action)
                .build());
  }

  /** The build of a function as compute-service reports it: building, image, ready, profiling. */
  public void build(String organization, String function, String name) {
    functionAction(organization, function, FunctionAction.FUNCTION_ACTION_BUILDING);
    as(ProfilingServiceGrpc.newBlockingStub(channel), organization)
        .registerProfilingStep(
            ProfilingStep.newBuilder()
                .setAssetKey(function)
                .setStep("build_image")
                .setDuration(123456)
                .build());
    as(FunctionServiceGrpc.newBlockingStub(channel), organization)
        .updateFunction(
            UpdateFunctionParam.newBuilder()
                .setKey(function)
                .setName(name)
                .setImage(address("function-image", function))
                .build());
    functionAction(organization, function, FunctionAction.FUNCTION_ACTION_READY);
  }

  // ---- data

  public String dataManager(String organization) {
    String key = key();
    as(DataManagerServiceGrpc.newBlockingStub(channel), organization)
        .registerDataManager(
            NewDataManager.newBuilder()
                .setKey(key)
                .setName("data manager")
                .setNewPermissions(PUBLIC)
                .setDescription(address("data-manager-description", key))
                .setOpener(address("opener", key))
                .setLogsPermission(PUBLIC)
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
    as(DataSampleServiceGrpc.newBlockingStub(channel), organization)
        .registerDataSamples(batch.build());
    return keys;
  }

  // ---- plans and tasks

  public String plan(String organization, String name) {
    String key = key();
    as(ComputePlanServiceGrpc.newBlockingStub(channel), organization)
        .registerPlan(
            NewComputePlan.newBuilder()
                .setKey(key)
                .setName(name)
                .setTag("tag-" + name)
                .putMetadata("epochs", "10")
                .build());
    return key;
  }

  public void cancelPlan(String organization, String plan) {
    as(ComputePlanServiceGrpc.newBlockingStub(channel), organization)
        .applyPlanAction(
            ApplyPlanActionParam.newBuilder()
                .setKey(plan)
                .setAction(ComputePlanAction.PLAN_ACTION_CANCELED)
                .build());
  }

  private static NewComputeTask.Builder dataTask(
      String plan, String function, String dataManager, List<String> samples) {
    NewComputeTask.Builder task =
        NewComputeTask.newBuilder()
            .setKey(key())
            .setFunctionKey(function)
            .setComputePlanKey(plan)
            .putMetadata("__tag__", "round")
            .putMetadata("round_idx", "0")
            .addInputs(assetInput("opener", dataManager));
    samples.forEach(sample -> task.addInputs(assetInput("datasamples", sample)));
    return task;
  }

  public static NewComputeTask.Builder trainTask(
      String plan, String function, String dataManager, List<String> samples, String... parents) {
    NewComputeTask.Builder task = dataTask(plan, function, dataManager, samples);
    for (String parent : parents) {
      task.addInputs(parentInput("shared", parent, "shared"));
    }
    return task.putOutputs(
        "shared", NewComputeTaskOutput.newBuilder().setPermissions(PUBLIC).build());
  }

  public static NewComputeTask.Builder testTask(
      String plan, String function, String dataManager, List<String> samples, String parent) {
    return dataTask(plan, function, dataManager, samples)
        .addInputs(parentInput("predictions", parent, "shared"))
        .putOutputs(
            "performance", NewComputeTaskOutput.newBuilder().setPermissions(PUBLIC).build());
  }

  /** A plan, a train function and a data manager with its samples, all of one organization. */
  public record TrainPlan(
      String organization, String train, String manager, List<String> samples, String plan) {}

  /**
   * A new plan of {@code organization} whose train function is built, on {@code samples} samples.
   */
  public TrainPlan trainPlan(String organization, String name, int samples) {
    String train = trainFunction(organization);
    build(organization, train, "train");
    String manager = dataManager(organization);
    return new TrainPlan(
        organization,
        train,
        manager,
        dataSamples(organization, manager, samples),
        plan(organization, name));
  }

  /** Registers a train task of {@code plan} on all its samples, fed by {@code parents}; its key. */
  public String registerTrainTask(TrainPlan plan, String... parents) {
    return register(
            plan.organization(),
            trainTask(plan.plan(), plan.train(), plan.manager(), plan.samples(), parents))
        .get(0)
        .getKey();
  }

  public List<ComputeTask> register(String organization, NewComputeTask.Builder... tasks) {
    RegisterTasksParam.Builder batch = RegisterTasksParam.newBuilder();
    for (NewComputeTask.Builder task : tasks) {
      batch.addTasks(task);
    }
    return as(ComputeTaskServiceGrpc.newBlockingStub(channel), organization)
        .registerTasks(batch.build())
        .getTasksList();
  }

  public void taskAction(String organization, String task, ComputeTaskAction action) {
    as(ComputeTaskServiceGrpc.newBlockingStub(channel), organization)
        .applyTaskAction(
            ApplyTaskActionParam.newBuilder().setComputeTaskKey(task).setAction(action).build());
  }

  public String model(String organization, String task, String output) {
    String key = key();
    as(ModelServiceGrpc.newBlockingStub(channel), organization)
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

  public void performance(String organization, String task, float value) {
    as(PerformanceServiceGrpc.newBlockingStub(channel), organization)
        .registerPerformance(
            NewPerformance.newBuilder()
                .setComputeTaskKey(task)
                .setComputeTaskOutputIdentifier("performance")
                .setPerformanceValue(value)
                .build());
  }

  public void executionFailure(String organization, String task) {
    as(FailureReportServiceGrpc.newBlockingStub(channel), organization)
        .registerFailureReport(
            NewFailureReport.newBuilder()
                .setAssetKey(task)
                .setAssetType(FailedAssetKind.FAILED_ASSET_COMPUTE_TASK)
                .setErrorType(ErrorType.ERROR_TYPE_EXECUTION)
                .setLogsAddress(address("logs", task))
                .build());
  }

  /** Runs a train task as its worker would: executing, its model, done. Returns the model. */
  public String runTrain(String worker, String task) {
    taskAction(worker, task, ComputeTaskAction.TASK_ACTION_EXECUTING);
    String model = model(worker, task, "shared");
    taskAction(worker, task, ComputeTaskAction.TASK_ACTION_DONE);
    return model;
  }

  @Override
  public void close() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }
}
