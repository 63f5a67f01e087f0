package org.substra.node.network;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.substra.node.testing.LocalInfrastructure;
import org.substra.node.testing.PackagedService;

/**
 * Two real nodes on one machine sharing one orchestrator, linked both ways on one channel as the
 * linking document configures them (incoming + outgoing accounts crossed), driven over HTTP as the
 * SDK does: org-2 trains on org-1's model, which its compute-service fetches through its own
 * api-service and org-1's organization credentials.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoOrganizationsIT {

  private static final String SUFFIX = System.getenv().getOrDefault("NODE_TEST_DB_SUFFIX", "");
  // What org-2 sends to org-1 (org-1 incoming, org-2 outgoing), and the reverse.
  private static final String SECRET_ORG1_ORG2 = "secret-org1-org2";
  private static final String SECRET_ORG2_ORG1 = "secret-org2-org1";
  private static final String ORG3_SECRET = "secret-org3";

  private static final String TRAIN =
      """
      {"name": "train", "permissions": {"public": true, "authorized_ids": []},
       "inputs": {"datasamples": {"kind": "ASSET_DATA_SAMPLE", "optional": false, "multiple": true},
                  "opener": {"kind": "ASSET_DATA_MANAGER", "optional": false, "multiple": false},
                  "models": {"kind": "ASSET_MODEL", "optional": true, "multiple": true}},
       "outputs": {"model": {"kind": "ASSET_MODEL", "multiple": false}}}
      """;

  static Path root;
  static PackagedService orchestrator;
  static Infrastructure.ObjectStore store1;
  static Infrastructure.ObjectStore store2;
  static Organization org1;
  static Organization org2;

  static String function;
  static String org1Task;
  static String org1Model;
  static String org2Task;

  @BeforeAll
  static void startTwoNodes() throws IOException {
    LocalInfrastructure.ensureRunning();
    root = Files.createTempDirectory("two-organizations");
    String orchestratorDatabase = "network_test_orchestrator" + SUFFIX;
    String exchange = "network-test" + SUFFIX + ".orchestrator";
    Infrastructure.freshDatabase(orchestratorDatabase);
    int grpcPort = PackagedService.freePort();
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("quarkus.grpc.server.port", String.valueOf(grpcPort));
    settings.put(
        "quarkus.datasource.reactive.url",
        "postgresql://127.0.0.1:"
            + LocalInfrastructure.POSTGRESQL_PORT
            + "/"
            + orchestratorDatabase);
    settings.put(
        "quarkus.datasource.jdbc.url",
        "jdbc:postgresql://127.0.0.1:"
            + LocalInfrastructure.POSTGRESQL_PORT
            + "/"
            + orchestratorDatabase);
    settings.put("node.rabbitmq.virtual-host", LocalInfrastructure.RABBITMQ_TEST_VHOST);
    settings.put("orchestrator.events.exchange", exchange);
    settings.put("orchestrator.channels." + Organization.CHANNEL, "MyOrg1MSP,MyOrg2MSP");
    orchestrator =
        PackagedService.start(
            "orchestrator-service",
            settings,
            Path.of("target", "network", "orchestrator-service.log"),
            "/q/health/ready");

    store1 = new Infrastructure.ObjectStore(root.resolve("s3-org-1"), log("org-1-s3.log"));
    store2 = new Infrastructure.ObjectStore(root.resolve("s3-org-2"), log("org-2-s3.log"));
    org1 = new Organization(1, root, SUFFIX, store1.port, grpcPort, exchange);
    org2 = new Organization(2, root, SUFFIX, store2.port, grpcPort, exchange);
    Infrastructure.freshDatabase(org1.database());
    Infrastructure.freshDatabase(org2.database());

    // As the linking document: each node has an account for the other (incoming, restricted to
    // the channel) and the other's secret for its own calls (outgoing). MyOrg3MSP is an
    // organization org-1 knows only in another channel.
    org1.writeAccounts(
        "incoming_organizations",
        "MyOrg2MSP " + SECRET_ORG1_ORG2 + " " + Organization.CHANNEL,
        "MyOrg3MSP " + ORG3_SECRET + " otherchannel");
    org1.writeAccounts("outgoing_organizations", "MyOrg2MSP " + SECRET_ORG2_ORG1);
    org2.writeAccounts(
        "incoming_organizations", "MyOrg1MSP " + SECRET_ORG2_ORG1 + " " + Organization.CHANNEL);
    org2.writeAccounts("outgoing_organizations", "MyOrg1MSP " + SECRET_ORG1_ORG2);

    org1.start(true);
    // org-2 starts with model export disabled: a user's download of a model must be refused.
    org2.start(false);
  }

  @AfterAll
  static void stopTwoNodes() throws IOException {
    for (AutoCloseable closeable : new AutoCloseable[] {org2, org1, store2, store1, orchestrator}) {
      try {
        if (closeable != null) {
          closeable.close();
        }
      } catch (Exception e) {
        // Stop the others anyway.
      }
    }
    // The stores' data and the work folders; the services' logs stay under target/network.
    if (root != null) {
      try (Stream<Path> paths = Files.walk(root)) {
        paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
      }
    }
  }

  @Test
  @Order(1)
  void orgTwoTrainsOnOrgOnesModelFetchedThroughTheLink() throws IOException {
    function = registerFunction(org1, functionArchive());
    String dataset1 = dataset(org1, "org-1 data");
    List<String> samples1 = samples(org1, dataset1, "1", "2");
    org1Task =
        task(
            org1,
            org1.mspId,
            function,
            dataset1,
            samples1,
            null,
            List.of("MyOrg1MSP", "MyOrg2MSP"));
    awaitDone(org1, org1Task);
    org1Model = modelOf(org1, org1Task);

    String dataset2 = dataset(org2, "org-2 data");
    List<String> samples2 = samples(org2, dataset2, "10");
    // org-1's function and org-1's model, both fetched by org-2's worker from org-1.
    org2Task =
        task(
            org2,
            org2.mspId,
            function,
            dataset2,
            samples2,
            org1Model,
            List.of("MyOrg2MSP", "MyOrg1MSP"));
    awaitDone(org2, org2Task);

    // Getting org-1's function is a step of org-2's profile only.
    assertThat(profileSteps(org1, org1Task))
        .containsExactly("prepare_inputs", "task_execution", "save_outputs");
    assertThat(profileSteps(org2, org2Task))
        .containsExactly("prepare_inputs", "download_function", "task_execution", "save_outputs");
  }

  /** The steps of a task's profile once all are recorded (compute-service sends them after it). */
  private static List<String> profileSteps(Organization organization, String task) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    List<String> steps = List.of();
    while (System.nanoTime() < deadline) {
      var answer = user(organization).get("/task_profiling/" + task + "/");
      if (answer.statusCode() == 200) {
        steps = answer.then().extract().path("execution_rundown.step");
        if (steps.contains("save_outputs")) {
          return steps;
        }
      }
      Infrastructure.sleep(250);
    }
    return steps;
  }

  @Test
  @Order(2)
  void aUserDownloadsTheOtherOrganizationsModelOnlyWhenExportIsEnabled() {
    Response refused = user(org2).get("/model/" + org1Model + "/file/");
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.asString()).doesNotContain("3.0");

    org2.stopApi();
    org2.startApi(true);
    // Relayed from org-1, where the file lives.
    user(org2).get("/model/" + org1Model + "/file/").then().statusCode(200).body(equalTo("3.0"));
    // org-2's model is its samples (10) plus org-1's model (3): the input really was org-1's.
    String org2Model = modelOf(org2, org2Task);
    user(org2).get("/model/" + org2Model + "/file/").then().statusCode(200).body(equalTo("13.0"));
    // And the other way: org-1's user gets org-2's model from org-2.
    user(org1).get("/model/" + org2Model + "/file/").then().statusCode(200).body(equalTo("13.0"));

    // Each file lives only in its owner's store: what the other node served was relayed.
    assertThat(storedModel("s3-org-1", org1Model)).isTrue();
    assertThat(storedModel("s3-org-2", org1Model)).isFalse();
    assertThat(storedModel("s3-org-2", org2Model)).isTrue();
    assertThat(storedModel("s3-org-1", org2Model)).isFalse();
  }

  private static boolean storedModel(String store, String model) {
    return Files.isRegularFile(
        root.resolve(store).resolve("data/substra-model/models/" + model + "/model"));
  }

  @Test
  @Order(3)
  void aWrongSecretIsRefusedWithoutContent() {
    Response wrong =
        organization(org1, "MyOrg2MSP", "not-the-secret").get("/model/" + org1Model + "/file/");
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(wrong.asString()).doesNotContain("3.0");
    organization(org1, "MyOrg2MSP", SECRET_ORG1_ORG2)
        .get("/model/" + org1Model + "/file/")
        .then()
        .statusCode(200)
        .body(equalTo("3.0"));
  }

  @Test
  @Order(4)
  void anOrganizationOfAnotherChannelIsForbidden() {
    for (String channel : List.of("otherchannel", Organization.CHANNEL)) {
      Response refused =
          organization(org1, "MyOrg3MSP", ORG3_SECRET)
              .header("Substra-Channel-Name", channel)
              .get("/function/" + function + "/file/");
      assertThat(refused.statusCode()).as(channel).isEqualTo(403);
      assertThat(refused.asString()).doesNotContain("function.py");
    }
  }

  @Test
  @Order(5)
  void aModelOrgTwoMayNotProcessIsNeitherServedNorAcceptedAsInput() throws IOException {
    String dataset = dataset(org1, "org-1 private data");
    String task =
        task(
            org1,
            org1.mspId,
            function,
            dataset,
            samples(org1, dataset, "5"),
            null,
            List.of("MyOrg1MSP"));
    awaitDone(org1, task);
    String privateModel = modelOf(org1, task);

    Response refused =
        organization(org1, "MyOrg2MSP", SECRET_ORG1_ORG2).get("/model/" + privateModel + "/file/");
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.asString()).doesNotContain("5.0");
    String dataset2 = dataset(org2, "org-2 other data");
    String plan = UUID.randomUUID().toString();
    user(org2)
        .contentType("application/json")
        .body("{\"key\": \"" + plan + "\", \"name\": \"refused plan\"}")
        .post("/compute_plan/")
        .then()
        .statusCode(201);
    user(org2)
        .contentType("application/json")
        .body(
            "{\"tasks\": ["
                + taskJson(
                    UUID.randomUUID().toString(),
                    plan,
                    org2.mspId,
                    function,
                    dataset2,
                    samples(org2, dataset2, "1"),
                    privateModel,
                    List.of("MyOrg2MSP"))
                + "]}")
        .post("/task/bulk_create/")
        .then()
        .statusCode(403);
  }

  @Test
  @Order(6)
  void changingTheAccountsFileRemovesAndAddsAPeerWithoutRestart() {
    org1.writeAccounts("incoming_organizations", "MyOrg3MSP " + ORG3_SECRET + " otherchannel");
    awaitStatus(() -> organization(org1, "MyOrg2MSP", SECRET_ORG1_ORG2), 401);
    org1.writeAccounts(
        "incoming_organizations",
        "MyOrg2MSP " + SECRET_ORG1_ORG2 + " " + Organization.CHANNEL,
        "MyOrg3MSP " + ORG3_SECRET + " otherchannel");
    awaitStatus(() -> organization(org1, "MyOrg2MSP", SECRET_ORG1_ORG2), 200);
  }

  @Test
  @Order(7)
  void theOutgoingCheckShowsALivePeerThenAStoppedOne() {
    String live = outgoingCheck(org1);
    assertThat(peerLine(live, "MyOrg2MSP"))
        .contains(org2.url())
        .containsPattern("\\|\\s*200\\s*\\|");

    org2.stopApi();
    String stopped = outgoingCheck(org1);
    assertThat(peerLine(stopped, "MyOrg2MSP"))
        .contains(org2.url())
        .doesNotContainPattern("\\|\\s*200\\s*\\|");
  }

  // ------------------------------------------------------------------ the SDK's calls

  private static final Map<Organization, String> TOKENS = new java.util.HashMap<>();

  /** A new request of the organization's first user (a specification keeps its multiparts). */
  private static RequestSpecification user(Organization organization) {
    String token = TOKENS.computeIfAbsent(organization, TwoOrganizationsIT::login);
    return given()
        .log()
        .ifValidationFails()
        .baseUri(organization.url())
        .header("Authorization", "Token " + token)
        .accept("application/json;version=0.0");
  }

  private static String login(Organization organization) {
    return given()
        .baseUri(organization.url())
        .accept("application/json;version=0.0")
        .contentType(ContentType.URLENC)
        .formParam("username", organization.username)
        .formParam("password", Organization.PASSWORD)
        .post("/api-token-auth/")
        .then()
        .statusCode(200)
        .extract()
        .path("token");
  }

  /** A peer's call as api-service makes it (worker-spec §6.2). */
  private static RequestSpecification organization(
      Organization target, String organizationId, String secret) {
    return given()
        .log()
        .ifValidationFails()
        .baseUri(target.url())
        .header(
            "Authorization",
            "Basic "
                + Base64.getEncoder()
                    .encodeToString(
                        (organizationId + ":" + secret).getBytes(StandardCharsets.UTF_8)))
        .header("Substra-Channel-Name", Organization.CHANNEL)
        .accept("application/json;version=0.0");
  }

  private static String registerFunction(Organization owner, byte[] archive) {
    return user(owner)
        .multiPart("json", TRAIN)
        .multiPart("file", "function.zip", archive)
        .multiPart("description", "description.md", "# Train\n".getBytes(StandardCharsets.UTF_8))
        .post("/function/")
        .then()
        .statusCode(201)
        .extract()
        .path("key");
  }

  private static String dataset(Organization owner, String name) throws IOException {
    return user(owner)
        .multiPart(
            "json",
            "{\"name\": \""
                + name
                + "\", \"permissions\": {\"public\": false, \"authorized_ids\": []},"
                + " \"logs_permission\": {\"public\": false, \"authorized_ids\": []}}")
        .multiPart("data_opener", "opener.py", checkoutFile("opener.py"))
        .multiPart("description", "description.md", "# Data\n".getBytes(StandardCharsets.UTF_8))
        .post("/data_manager/")
        .then()
        .statusCode(201)
        .extract()
        .path("key");
  }

  /** One sample per value, each a folder holding {@code value.txt}, as the opener reads it. */
  private static List<String> samples(Organization owner, String dataset, String... values)
      throws IOException {
    RequestSpecification request =
        user(owner).multiPart("json", "{\"data_manager_keys\": [\"" + dataset + "\"]}");
    for (int i = 0; i < values.length; i++) {
      request =
          request.multiPart(
              "sample-" + i, "sample-" + i, zip(Map.of("value.txt", values[i].getBytes())));
    }
    return request.post("/data_sample/").then().statusCode(201).extract().path("key");
  }

  private static String task(
      Organization owner,
      String worker,
      String function,
      String dataset,
      List<String> samples,
      String inputModel,
      List<String> modelReaders) {
    String plan = UUID.randomUUID().toString();
    user(owner)
        .contentType("application/json")
        .body("{\"key\": \"" + plan + "\", \"name\": \"plan of " + worker + "\"}")
        .post("/compute_plan/")
        .then()
        .statusCode(201);
    String key = UUID.randomUUID().toString();
    String task = taskJson(key, plan, worker, function, dataset, samples, inputModel, modelReaders);
    user(owner)
        .contentType("application/json")
        .body("{\"tasks\": [" + task + "]}")
        .post("/task/bulk_create/")
        .then()
        .statusCode(200);
    return key;
  }

  /**
   * A train task as the SDK sends it; its output {@code model} readable by {@code modelReaders}.
   */
  private static String taskJson(
      String key,
      String plan,
      String worker,
      String function,
      String dataset,
      List<String> samples,
      String inputModel,
      List<String> modelReaders) {
    StringBuilder inputs = new StringBuilder(input("opener", dataset));
    for (String sample : samples) {
      inputs.append(", ").append(input("datasamples", sample));
    }
    if (inputModel != null) {
      inputs.append(", ").append(input("models", inputModel));
    }
    return "{\"key\": \""
        + key
        + "\", \"compute_plan_key\": \""
        + plan
        + "\", \"function_key\": \""
        + function
        + "\", \"worker\": \""
        + worker
        + "\", \"tag\": null, \"metadata\": null, \"rank\": null, \"inputs\": ["
        + inputs
        + "], \"outputs\": {\"model\": {\"permissions\": {\"public\": false,"
        + " \"authorized_ids\": [\""
        + String.join("\", \"", modelReaders)
        + "\"]}, \"transient\": false}}}";
  }

  private static String input(String identifier, String assetKey) {
    return "{\"identifier\": \""
        + identifier
        + "\", \"asset_key\": \""
        + assetKey
        + "\", \"parent_task_key\": null, \"parent_task_output_identifier\": null}";
  }

  private static void awaitDone(Organization organization, String task) {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    String status = null;
    while (System.nanoTime() < deadline) {
      status = user(organization).get("/task/" + task + "/").then().extract().path("status");
      if ("STATUS_DONE".equals(status)) {
        return;
      }
      assertThat(status)
          .as("task %s of %s (logs under target/network)", task, organization.username)
          .isNotIn("STATUS_FAILED", "STATUS_CANCELED");
      Infrastructure.sleep(500);
    }
    throw new AssertionError("task " + task + " still " + status + " after 90 s");
  }

  private static String modelOf(Organization organization, String task) {
    return user(organization)
        .queryParam("compute_task_key", task)
        .queryParam("page", 1)
        .queryParam("page_size", 10)
        .get("/model/")
        .then()
        .statusCode(200)
        .extract()
        .path("results[0].key");
  }

  private static void awaitStatus(Supplier<RequestSpecification> request, int expected) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    int status = -1;
    while (System.nanoTime() < deadline) {
      status = request.get().get("/model/" + org1Model + "/file/").statusCode();
      if (status == expected) {
        return;
      }
      Infrastructure.sleep(300);
    }
    throw new AssertionError("still " + status + ", expected " + expected);
  }

  private static String outgoingCheck(Organization organization) {
    return given()
        .baseUri("http://127.0.0.1:" + organization.orgLinkPort())
        .auth()
        .preemptive()
        .basic(organization.username, Organization.PASSWORD)
        .accept(ContentType.TEXT)
        .get("/outgoing-organizations")
        .then()
        .statusCode(200)
        .extract()
        .asString();
  }

  private static String peerLine(String table, String organizationId) {
    return table
        .lines()
        .filter(line -> line.contains(organizationId))
        .findFirst()
        .orElseThrow(() -> new AssertionError(organizationId + " missing from\n" + table));
  }

  // ------------------------------------------------------------------ files

  private static byte[] functionArchive() throws IOException {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put(
        "Dockerfile",
        ("FROM python:3.12-slim\nCOPY function.py .\n"
                + "ENTRYPOINT [\"python3\", \"function.py\", \"--function-name\", \"train\"]\n")
            .getBytes(StandardCharsets.UTF_8));
    files.put("function.py", checkoutFile("function.py"));
    return zip(files);
  }

  /** The test function and opener compute-service's tests use (substra-tools contract by hand). */
  private static byte[] checkoutFile(String name) throws IOException {
    String relative = "compute-service/src/test/resources/functions/" + name;
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve(relative))) {
        return Files.readAllBytes(dir.resolve(relative));
      }
    }
    throw new IllegalStateException(relative + " not found");
  }

  private static byte[] zip(Map<String, byte[]> files) throws IOException {
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

  private static Path log(String name) {
    return Path.of("target", "network", name);
  }
}
