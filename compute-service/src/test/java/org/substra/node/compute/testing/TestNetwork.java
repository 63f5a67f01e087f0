package org.substra.node.compute.testing;

import static org.substra.node.testing.AssetMessages.PUBLIC;
import static org.substra.node.testing.AssetMessages.assetInput;
import static org.substra.node.testing.AssetMessages.input;
import static org.substra.node.testing.AssetMessages.key;
import static org.substra.node.testing.AssetMessages.output;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.stub.AbstractStub;
import io.minio.GetObjectArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.awaitility.Awaitility;
import org.substra.node.compute.staging.Checksums;
import org.substra.node.orchestrator.protocol.*;
import org.substra.node.orchestrator.protocol.client.CallerIdentity;
import org.substra.node.testing.LocalInfrastructure;
import org.substra.node.testing.TestOrchestrator;

/**
 * What api-service and a data scientist do before compute-service has work: files in object storage
 * with the agreed layout, assets registered in the real orchestrator as MyOrg1MSP.
 */
public final class TestNetwork implements AutoCloseable {

  public static final String CHANNEL = "mychannel";
  public static final String ORG1 = "MyOrg1MSP";

  private final ManagedChannel channel;
  private final MinioClient s3;

  public TestNetwork() {
    channel =
        ManagedChannelBuilder.forAddress("127.0.0.1", OrchestratorProcess.get().grpcPort())
            .usePlaintext()
            .build();
    s3 =
        MinioClient.builder()
            .endpoint("http://127.0.0.1:" + LocalInfrastructure.S3_PORT)
            .credentials(LocalInfrastructure.S3_ACCESS_KEY, LocalInfrastructure.S3_SECRET_KEY)
            .region("us-east-1")
            .build();
    TestOrchestrator.join(channel, ORG1);
    TestOrchestrator.join(channel, "MyOrg2MSP");
  }

  private <S extends AbstractStub<S>> S as(S stub) {
    return CallerIdentity.as(stub, ORG1, CHANNEL).withDeadlineAfter(20, TimeUnit.SECONDS);
  }

  static Addressable address(String checksum, String url) {
    return Addressable.newBuilder().setChecksum(checksum).setStorageAddress(url).build();
  }

  public void put(String bucket, String object, byte[] content, Map<String, String> metadata)
      throws Exception {
    s3.putObject(
        PutObjectArgs.builder().bucket(bucket).object(object).userMetadata(metadata).stream(
                new ByteArrayInputStream(content), content.length, -1)
            .build());
  }

  public byte[] get(String bucket, String object) throws Exception {
    try (InputStream in =
        s3.getObject(GetObjectArgs.builder().bucket(bucket).object(object).build())) {
      return in.readAllBytes();
    }
  }

  public static byte[] zip(Map<String, byte[]> files) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      for (Map.Entry<String, byte[]> file : files.entrySet()) {
        zip.putNextEntry(new ZipEntry(file.getKey()));
        zip.write(file.getValue());
        zip.closeEntry();
      }
    }
    return bytes.toByteArray();
  }

  static byte[] resource(String name) throws IOException {
    try (InputStream in = TestNetwork.class.getResourceAsStream("/functions/" + name)) {
      return in.readAllBytes();
    }
  }

  /** The archive of a function running {@code function.py --function-name <name>}. */
  public static byte[] functionArchive(String name) throws IOException {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put(
        "Dockerfile",
        ("FROM python:3.12-slim\nCOPY function.py .\n"
                + "ENTRYPOINT [\"python3\", \"function.py\", \"--function-name\", \""
                + name
                + "\"]\n")
            .getBytes(StandardCharsets.UTF_8));
    files.put("function.py", resource("function.py"));
    return zip(files);
  }

  /** Uploads {@code archive} and registers a function with these inputs and outputs. */
  public String function(
      String name,
      byte[] archive,
      Map<String, FunctionInput> inputs,
      Map<String, FunctionOutput> outputs)
      throws Exception {
    String key = key();
    put("substra-function", key + "/archive", archive, Map.of());
    as(FunctionServiceGrpc.newBlockingStub(channel))
        .registerFunction(
            NewFunction.newBuilder()
                .setKey(key)
                .setName(name)
                .setDescription(
                    address("a".repeat(64), "http://api/function/" + key + "/description/"))
                .setArchive(
                    address(Checksums.sha256(archive), "http://api/function/" + key + "/file/"))
                .setNewPermissions(PUBLIC)
                .putAllInputs(inputs)
                .putAllOutputs(outputs)
                .build());
    return key;
  }

  /**
   * A function of this organization, built through a build message on {@code queues} (as
   * event-service sends it); returns once the orchestrator has it READY.
   */
  public String builtFunction(
      WorkQueues queues,
      String name,
      Map<String, FunctionInput> inputs,
      Map<String, FunctionOutput> outputs)
      throws Exception {
    String key = function(name, functionArchive(name), inputs, outputs);
    queues.build(CHANNEL, key, ORG1);
    Awaitility.await("function " + name + " ready")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> getFunction(key).getStatus() == FunctionStatus.FUNCTION_STATUS_READY);
    return key;
  }

  /** A built function reading a data manager's opener and samples, writing a model. */
  public String builtFunction(WorkQueues queues, String name) throws Exception {
    return builtFunction(
        queues, name, dataInputs(), Map.of("model", output(AssetKind.ASSET_MODEL)));
  }

  public static Map<String, FunctionInput> dataInputs() {
    Map<String, FunctionInput> inputs = new LinkedHashMap<>();
    inputs.put("opener", input(AssetKind.ASSET_DATA_MANAGER, false, false));
    inputs.put("datasamples", input(AssetKind.ASSET_DATA_SAMPLE, true, false));
    return inputs;
  }

  public Function getFunction(String key) {
    return as(FunctionServiceGrpc.newBlockingStub(channel))
        .getFunction(GetFunctionParam.newBuilder().setKey(key).build());
  }

  public String dataManager() throws Exception {
    String key = key();
    byte[] opener = resource("opener.py");
    put("substra-datamanager", key + "/opener", opener, Map.of());
    as(DataManagerServiceGrpc.newBlockingStub(channel))
        .registerDataManager(
            NewDataManager.newBuilder()
                .setKey(key)
                .setName("numbers")
                .setNewPermissions(PUBLIC)
                .setDescription(
                    address("a".repeat(64), "http://api/data_manager/" + key + "/description/"))
                .setOpener(
                    address(
                        Checksums.sha256(opener), "http://api/data_manager/" + key + "/opener/"))
                .setLogsPermission(PUBLIC)
                .build());
    return key;
  }

  /** A sample holding {@code value.txt}, uploaded as a zip, or by server path when {@code dir}. */
  public String dataSample(String dataManager, String value, Path serverDir) throws Exception {
    String key = key();
    Path dir = serverDir != null ? serverDir : Files.createTempDirectory("sample");
    Files.writeString(dir.resolve("value.txt"), value);
    String checksum = Checksums.directory(dir);
    if (serverDir != null) {
      put("substra-datasample", key, new byte[0], Map.of("server-path", dir.toString()));
    } else {
      put("substra-datasample", key, zip(Map.of("value.txt", value.getBytes())), Map.of());
    }
    registerDataSample(dataManager, key, checksum);
    return key;
  }

  /** A sample uploaded as {@code archive}, registered with {@code checksum}. */
  public String dataSample(String dataManager, byte[] archive, String checksum) throws Exception {
    String key = key();
    put("substra-datasample", key, archive, Map.of());
    registerDataSample(dataManager, key, checksum);
    return key;
  }

  private void registerDataSample(String dataManager, String key, String checksum) {
    as(DataSampleServiceGrpc.newBlockingStub(channel))
        .registerDataSamples(
            RegisterDataSamplesParam.newBuilder()
                .addSamples(
                    NewDataSample.newBuilder()
                        .setKey(key)
                        .addDataManagerKeys(dataManager)
                        .setChecksum(checksum))
                .build());
  }

  public String plan(String name) {
    return plan(name, "");
  }

  public String plan(String name, String tag) {
    String key = key();
    as(ComputePlanServiceGrpc.newBlockingStub(channel))
        .registerPlan(NewComputePlan.newBuilder().setKey(key).setName(name).setTag(tag).build());
    return key;
  }

  public void cancelPlan(String plan) {
    as(ComputePlanServiceGrpc.newBlockingStub(channel))
        .applyPlanAction(
            ApplyPlanActionParam.newBuilder()
                .setKey(plan)
                .setAction(ComputePlanAction.PLAN_ACTION_CANCELED)
                .build());
  }

  public static NewComputeTask.Builder task(String plan, String function, String... outputs) {
    NewComputeTask.Builder task =
        NewComputeTask.newBuilder().setKey(key()).setFunctionKey(function).setComputePlanKey(plan);
    for (String output : outputs) {
      task.putOutputs(output, NewComputeTaskOutput.newBuilder().setPermissions(PUBLIC).build());
    }
    return task;
  }

  /** A task reading the opener of {@code dataManager} and one of its samples, writing a model. */
  public static NewComputeTask.Builder modelTask(
      String plan, String function, String dataManager, String sample) {
    return task(plan, function, "model")
        .addInputs(assetInput("opener", dataManager))
        .addInputs(assetInput("datasamples", sample));
  }

  /** Marks an output of {@code task} transient: dropped once its consumers have ended. */
  public static NewComputeTask.Builder transientOutput(NewComputeTask.Builder task, String output) {
    return task.putOutputs(
        output,
        NewComputeTaskOutput.newBuilder().setPermissions(PUBLIC).setTransient(true).build());
  }

  /**
   * A new plan named {@code name} of one task of {@code function}, registered: it reads the opener
   * of a new data manager and one sample holding {@code value}, and outputs a model.
   */
  public NewComputeTask.Builder oneTaskPlan(String name, String function, String value)
      throws Exception {
    String dataManager = dataManager();
    String sample = dataSample(dataManager, value, null);
    NewComputeTask.Builder task = modelTask(plan(name), function, dataManager, sample);
    register(task);
    return task;
  }

  public void register(NewComputeTask.Builder... tasks) {
    RegisterTasksParam.Builder batch = RegisterTasksParam.newBuilder();
    for (NewComputeTask.Builder task : tasks) {
      batch.addTasks(task);
    }
    as(ComputeTaskServiceGrpc.newBlockingStub(channel)).registerTasks(batch.build());
  }

  /**
   * What a run interrupted between its outputs and DONE leaves in the orchestrator: the task
   * EXECUTING with a model registered for {@code output}. Returns the model's key.
   */
  public String executingWithModel(String task, String output) {
    as(ComputeTaskServiceGrpc.newBlockingStub(channel))
        .applyTaskAction(
            ApplyTaskActionParam.newBuilder()
                .setComputeTaskKey(task)
                .setAction(ComputeTaskAction.TASK_ACTION_EXECUTING)
                .setLog("")
                .build());
    String key = key();
    as(ModelServiceGrpc.newBlockingStub(channel))
        .registerModels(
            RegisterModelsParam.newBuilder()
                .addModels(
                    NewModel.newBuilder()
                        .setKey(key)
                        .setComputeTaskKey(task)
                        .setComputeTaskOutputIdentifier(output)
                        .setAddress(
                            address(
                                Checksums.sha256(key.getBytes(StandardCharsets.UTF_8)),
                                "http://127.0.0.1:8000/model/" + key + "/file/")))
                .build());
    return key;
  }

  public ComputeTask getTask(String key) {
    return as(ComputeTaskServiceGrpc.newBlockingStub(channel))
        .getTask(GetTaskParam.newBuilder().setKey(key).build());
  }

  public List<ComputeTask> tasks(String plan) {
    List<ComputeTask> tasks = new ArrayList<>();
    String page = "";
    do {
      QueryTasksResponse response =
          as(ComputeTaskServiceGrpc.newBlockingStub(channel))
              .queryTasks(
                  QueryTasksParam.newBuilder()
                      .setPageSize(500)
                      .setPageToken(page)
                      .setFilter(TaskQueryFilter.newBuilder().setComputePlanKey(plan))
                      .build());
      tasks.addAll(response.getTasksList());
      page = response.getNextPageToken();
    } while (!page.isEmpty());
    return tasks;
  }

  public List<Model> models(String task) {
    return as(ModelServiceGrpc.newBlockingStub(channel))
        .getComputeTaskOutputModels(
            GetComputeTaskModelsParam.newBuilder().setComputeTaskKey(task).build())
        .getModelsList();
  }

  public List<Performance> performances(String task) {
    return as(PerformanceServiceGrpc.newBlockingStub(channel))
        .queryPerformances(
            QueryPerformancesParam.newBuilder()
                .setPageSize(10)
                .setFilter(PerformanceQueryFilter.newBuilder().setComputeTaskKey(task))
                .build())
        .getPerformancesList();
  }

  public FailureReport failureReport(String asset) {
    return as(FailureReportServiceGrpc.newBlockingStub(channel))
        .getFailureReport(GetFailureReportParam.newBuilder().setAssetKey(asset).build());
  }

  @Override
  public void close() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }
}
