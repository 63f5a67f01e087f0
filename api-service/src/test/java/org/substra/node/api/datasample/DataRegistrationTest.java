package org.substra.node.api.datasample;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.messages.Item;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.substra.node.api.auth.AuthenticationTest;
import org.substra.node.api.testing.RealNetwork;
import org.substra.node.api.testing.Uploaded;
import org.substra.node.testing.Dependency;
import org.substra.node.testing.WithLocalDependencies;

/**
 * Datasets and data samples registered through the real orchestrator and event-service (REST spec
 * §4.4, §4.5), and the opener and description downloads (§5.2).
 */
@QuarkusTest
@WithLocalDependencies({Dependency.POSTGRESQL, Dependency.OBJECT_STORAGE})
@QuarkusTestResource(value = RealNetwork.class, restrictToAnnotatedClass = true)
class DataRegistrationTest {

  static final String OPENER = "import substratools as tools\nclass Opener(tools.Opener): pass\n";
  static final String UNKNOWN = "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa";

  @Inject MinioClient storage;

  private String token;

  @BeforeEach
  void login() {
    token = AuthenticationTest.login().getString("token");
  }

  private RequestSpecification user() {
    return given().header("Authorization", "Token " + token).accept("application/json;version=0.0");
  }

  /** Registers a dataset as the SDK does and answers its key. */
  String dataset(String name) {
    return user()
        .multiPart(
            "json",
            "{\"name\": \""
                + name
                + "\", \"permissions\": {\"public\": false, \"authorized_ids\": []},"
                + " \"logs_permission\": {\"public\": false, \"authorized_ids\": []}}")
        .multiPart("data_opener", "opener.py", OPENER.getBytes(StandardCharsets.UTF_8))
        .multiPart("description", "description.md", "# Data\n".getBytes(StandardCharsets.UTF_8))
        .post("/data_manager/")
        .then()
        .statusCode(201)
        .extract()
        .path("key");
  }

  @Test
  void aDatasetIsReadableRightAwayWithItsOpener() {
    String key = dataset("mnist");
    user()
        .get("/data_manager/" + key + "/")
        .then()
        .statusCode(200)
        .body("name", equalTo("mnist"))
        .body("metadata", equalTo(Map.of()))
        .body("opener.checksum", equalTo(Uploaded.sha256(OPENER.getBytes(StandardCharsets.UTF_8))))
        .body("data_sample_keys", hasSize(0));
    user().get("/data_manager/" + key + "/opener/").then().statusCode(200).body(equalTo(OPENER));
    user()
        .get("/data_manager/" + key + "/description/")
        .then()
        .statusCode(200)
        .body(equalTo("# Data\n"));
    user()
        .get("/data_manager/not-a-key/opener/")
        .then()
        .statusCode(400)
        .body("detail", containsString("not a valid UUID"));

    user()
        .contentType("application/json")
        .body("{\"name\": \"mnist-renamed\"}")
        .put("/data_manager/" + key + "/")
        .then()
        .statusCode(200);
    user().get("/data_manager/" + key + "/").then().body("name", equalTo("mnist-renamed"));
    assertThat(dataset("mnist")).as("the same dataset twice is two datasets").isNotEqualTo(key);
  }

  @Test
  void samplesUploadedAsArchivesAreStoredAndLinked() {
    String manager = dataset("uploads");
    byte[] first = Uploaded.zip(Map.of("x.csv", "1,2\n", "y.csv", "3\n"));
    byte[] second = Uploaded.zip(Map.of("x.csv", "4,5\n"));
    JsonPath created =
        user()
            .multiPart(
                "json", "{\"data_manager_keys\": [\"" + manager + "\"], \"followlinks\": false}")
            .multiPart("sample-1", "sample-1", first)
            .multiPart("sample-2", "sample-2", second)
            .post("/data_sample/")
            .then()
            .statusCode(201)
            .body("", hasSize(2))
            .body("[0].data_manager_keys", equalTo(List.of(manager)))
            .body("[0].owner", equalTo("MyOrg1MSP"))
            .extract()
            .jsonPath();
    assertThat(created.getString("[0].checksum")).isEqualTo(folderHash("1,2\n", "3\n"));
    assertThat(created.getString("[1].checksum")).isEqualTo(folderHash("4,5\n"));
    String sample = created.getString("[0].key");
    user()
        .get("/data_manager/" + manager + "/")
        .then()
        .body("data_sample_keys", containsInAnyOrder(sample, created.getString("[1].key")));
    assertThat(stored(sample)).isTrue();

    String other = dataset("other");
    user()
        .contentType("application/x-www-form-urlencoded")
        .formParam("data_manager_keys", other)
        .formParam("data_sample_keys", sample)
        .post("/data_sample/bulk_update/")
        .then()
        .statusCode(200)
        .body(equalTo("{}"));
    user()
        .get("/data_manager/" + other + "/")
        .then()
        .body("data_sample_keys", equalTo(List.of(sample)));
  }

  @Test
  void aSampleOverSeveralStoragePartsIsStoredWholeWhateverThePartOrder() throws Exception {
    String manager = dataset("large upload");
    // Random text compresses to some 12 MB: three parts of a streamed upload.
    String content = randomText(7, 16 * 1024 * 1024);
    byte[] archive = Uploaded.zip(Map.of("large.txt", content, "small.txt", "s\n"));
    assertThat(archive.length).isGreaterThan(10 * 1024 * 1024);

    String sample =
        user()
            .multiPart("large", "large", archive)
            .multiPart("json", "{\"data_manager_keys\": [\"" + manager + "\"]}")
            .post("/data_sample/")
            .then()
            .statusCode(201)
            .body("[0].checksum", equalTo(folderHash(content, "s\n")))
            .extract()
            .path("[0].key");

    assertStored(sample, archive);
  }

  /** Printable characters that compress to some three quarters of their length. */
  private static String randomText(long seed, int length) {
    return randomText(seed, length, 90);
  }

  /** Random text of the first {@code letters} printable characters. */
  private static String randomText(long seed, int length, int letters) {
    Random random = new Random(seed);
    StringBuilder text = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      text.append((char) ('!' + random.nextInt(letters)));
    }
    return text.toString();
  }

  /**
   * A file part announced by the body's length goes to the store in one put of that length; bodies
   * that end otherwise than most clients end them, or more parts after it, make the guess wrong,
   * and the sample must still be stored exactly.
   */
  @Test
  void aLargeSampleIsStoredExactlyHoweverTheBodyEnds() throws Exception {
    String manager = dataset("announced uploads");
    String content = randomText(11, 8 * 1024 * 1024);
    byte[] archive = Uploaded.zip(Map.of("large.txt", content));
    byte[] other = Uploaded.zip(Map.of("other.txt", content.substring(1)));
    assertThat(archive.length).isGreaterThan(6 * 1024 * 1024);
    String json = "{\"data_manager_keys\": [\"" + manager + "\"]}";

    // As the SDK sends it: the json, then the file, then the closing line with its line break.
    List<String> keys = uploadRaw(multipart(json, "--\r\n", archive));
    assertStored(keys.get(0), archive);
    // No line break after the closing delimiter: the put is two bytes short of the file.
    keys = uploadRaw(multipart(json, "--", archive));
    assertStored(keys.get(0), archive);
    // An epilogue: the put is longer than the file.
    keys = uploadRaw(multipart(json, "--\r\nan epilogue\r\n", archive));
    assertStored(keys.get(0), archive);
    // Two large files: the first is not the last part.
    keys = uploadRaw(multipart(json, "--\r\n", archive, other));
    assertStored(keys.get(0), archive);
    assertStored(keys.get(1), other);
  }

  @Test
  void aLargeLastPartThatIsNoArchiveIsRefusedAndStoresNothing() throws Exception {
    String manager = dataset("announced refusal");
    Set<String> before = storedSamples();
    byte[] noise = new byte[7 * 1024 * 1024];
    new Random(3).nextBytes(noise);

    user()
        .contentType("multipart/form-data; boundary=" + RAW_BOUNDARY)
        .body(multipart("{\"data_manager_keys\": [\"" + manager + "\"]}", "--\r\n", noise))
        .post("/data_sample/")
        .then()
        .statusCode(400)
        .body("detail", containsString("zip or tar"));

    assertThat(storedSamples()).isEqualTo(before);
  }

  /** The names of every object in the data sample bucket . */
  private Set<String> storedSamples() throws Exception {
    Set<String> names = new HashSet<>();
    for (Result<Item> each :
        storage.listObjects(ListObjectsArgs.builder().bucket("substra-datasample").build())) {
      names.add(each.get().objectName());
    }
    return names;
  }

  private static final String RAW_BOUNDARY = "7MA4YWxkTrZu0gW";

  /** A multipart body written by hand: the json field, the files, then {@code closing}. */
  private static byte[] multipart(String json, String closing, byte[]... files) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(
        ("--"
                + RAW_BOUNDARY
                + "\r\nContent-Disposition: form-data; name=\"json\"\r\n\r\n"
                + json
                + "\r\n")
            .getBytes(StandardCharsets.UTF_8));
    for (int i = 0; i < files.length; i++) {
      body.writeBytes(
          ("--"
                  + RAW_BOUNDARY
                  + "\r\nContent-Disposition: form-data; name=\"s"
                  + i
                  + "\"; filename=\"s"
                  + i
                  + "\"\r\nContent-Type: application/zip\r\n\r\n")
              .getBytes(StandardCharsets.UTF_8));
      body.writeBytes(files[i]);
      body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
    }
    body.writeBytes(("--" + RAW_BOUNDARY + closing).getBytes(StandardCharsets.UTF_8));
    return body.toByteArray();
  }

  private List<String> uploadRaw(byte[] body) {
    return user()
        .contentType("multipart/form-data; boundary=" + RAW_BOUNDARY)
        .body(body)
        .post("/data_sample/")
        .then()
        .statusCode(201)
        .extract()
        .path("key");
  }

  private void assertStored(String sample, byte[] expected) throws Exception {
    try (InputStream stored =
        storage.getObject(
            GetObjectArgs.builder().bucket("substra-datasample").object(sample).build())) {
      assertThat(stored.readAllBytes()).isEqualTo(expected);
    }
  }

  @Test
  void samplesOnTheServerAreRegisteredByPath() throws Exception {
    String manager = dataset("on-server");
    Path root = Path.of("target", "servermedias").toAbsolutePath();
    Path folder = Files.createDirectories(root.resolve("sample-" + System.nanoTime()));
    Files.writeString(folder.resolve("a.csv"), "7\n");
    Files.createDirectories(folder.resolve("nested"));
    Files.writeString(folder.resolve("nested/b.csv"), "8\n");
    user()
        .contentType("application/json")
        .body("{\"path\": \"" + folder + "\", \"data_manager_keys\": [\"" + manager + "\"]}")
        .post("/data_sample/")
        .then()
        .statusCode(201)
        .body("[0].path", equalTo(folder.toString()))
        .body("[0].checksum", equalTo(folderHash("7\n", "8\n")));

    Path empty = Files.createDirectories(root.resolve("empty-" + System.nanoTime()));
    refused("{\"path\": \"" + empty + "\", \"data_manager_keys\": [\"" + manager + "\"]}")
        .body("detail", containsString("empty"));
    refused("{\"path\": \"/etc\", \"data_manager_keys\": [\"" + manager + "\"]}")
        .body("detail", containsString("not under the data sample folder"));
    refused(
            "{\"path\": \""
                + root.resolve("missing")
                + "\", \"data_manager_keys\": [\""
                + manager
                + "\"]}")
        .body("detail", containsString("not a folder"));
  }

  /**
   * A folder named by path is read by the services, which may read more than the user: nothing in
   * it or on the way to it may lead out of the data sample root.
   */
  @Test
  void serverFoldersWithLinksOrOutsideTheRootAreRefusedAndRegisterNothing() throws Exception {
    String manager = dataset("linked folders");
    Set<String> before = storedSamples();
    Path root = Path.of("target", "servermedias").toAbsolutePath();
    Path outside = Files.createDirectories(Path.of("target", "outside-" + System.nanoTime()));
    Path secret = Files.writeString(outside.resolve("shadow"), "root:$6$secret\n");

    Path linking = Files.createDirectories(root.resolve("linking-" + System.nanoTime()));
    Files.writeString(linking.resolve("a.csv"), "1\n");
    Files.createDirectories(linking.resolve("nested"));
    Files.createSymbolicLink(linking.resolve("nested/shadow"), secret.toAbsolutePath());
    refused(byPath(linking, manager))
        .body("detail", containsString("symbolic link"))
        .body("detail", containsString("nested/shadow"));

    Path linkedFolder =
        Files.createSymbolicLink(
            root.resolve("to-outside-" + System.nanoTime()), outside.toAbsolutePath());
    refused(byPath(linkedFolder, manager)).body("detail", containsString("symbolic link"));
    Files.createDirectories(outside.resolve("inner"));
    Files.writeString(outside.resolve("inner/a.csv"), "1\n");
    refused(byPath(linkedFolder.resolve("inner"), manager))
        .body("detail", containsString("leads out of the data sample folder"));
    refused(byPath(outside.toAbsolutePath(), manager))
        .body("detail", containsString("not under the data sample folder"));
    refused(byPath(root.resolve("../" + outside.getFileName()), manager))
        .body("detail", containsString("not under the data sample folder"));

    Path withSocket = Files.createDirectories(root.resolve("socket-" + System.nanoTime()));
    Files.writeString(withSocket.resolve("a.csv"), "1\n");
    try (ServerSocketChannel socket = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      socket.bind(UnixDomainSocketAddress.of(withSocket.resolve("socket")));
      refused(byPath(withSocket, manager))
          .body("detail", containsString("neither file nor folder"));
    }

    user().get("/data_manager/" + manager + "/").then().body("data_sample_keys", hasSize(0));
    assertThat(storedSamples()).isEqualTo(before);
  }

  private static String byPath(Path folder, String manager) {
    return "{\"path\": \"" + folder + "\", \"data_manager_keys\": [\"" + manager + "\"]}";
  }

  /** The test profile's bounds: 32 MiB unpacked, ratio 100 past 1 MiB, 1 000 entries. */
  @Test
  void archiveBombsAreRefusedNamingTheirBoundAndStoreNothing() throws Exception {
    String manager = dataset("bombs");
    Set<String> before = storedSamples();
    String json = "{\"data_manager_keys\": [\"" + manager + "\"]}";
    byte[] zeros = Uploaded.zip(Map.of("zeros.csv", "\0".repeat(16 * 1024 * 1024)));
    assertThat(zeros.length).isLessThan(64 * 1024);

    user()
        .multiPart("json", json)
        .multiPart("sample", "sample", zeros)
        .post("/data_sample/")
        .then()
        .statusCode(400)
        .body("detail", containsString("more than 100 times its own size"))
        .body("detail", containsString("maximum compression ratio"));

    // 34 MiB of text in two letters, compressing some 7 times: under the ratio, over the size
    String text = randomText(13, 34 * 1024 * 1024, 2);
    user()
        .multiPart("json", json)
        .multiPart("sample", "sample", Uploaded.zip(Map.of("large.csv", text)))
        .post("/data_sample/")
        .then()
        .statusCode(400)
        .body("detail", containsString("more than 32 MiB"))
        .body("detail", containsString("maximum unpacked size"));

    Map<String, String> many = new java.util.HashMap<>();
    for (int i = 0; i <= 1000; i++) {
      many.put("rows/" + i + ".csv", i + "\n");
    }
    user()
        .multiPart("json", json)
        .multiPart("sample", "sample", Uploaded.zip(many))
        .post("/data_sample/")
        .then()
        .statusCode(400)
        .body("detail", containsString("maximum number of entries"));

    user().get("/data_manager/" + manager + "/").then().body("data_sample_keys", hasSize(0));
    assertThat(storedSamples()).isEqualTo(before);
  }

  @Test
  void badSampleRegistrationsAreRefusedAndStoreNothing() {
    String manager = dataset("refusals");
    refused("{\"path\": \"/x\"}")
        .body("detail", equalTo("missing or empty field 'data_manager_keys'"));
    refused("{\"path\": \"/x\", \"data_manager_keys\": [\"" + UNKNOWN + "\"]}")
        .body("detail", containsString("do not exist in local database"));
    refused("{\"path\": \"/x\", \"data_manager_keys\": [\"nope\"]}")
        .body("data_manager_keys[0]", containsString("not a valid UUID"));
    refused("{not json").body("detail", containsString("Malformed JSON"));
    user()
        .multiPart("json", "{\"data_manager_keys\": [\"" + manager + "\"]}")
        .multiPart("path", "path", "not an archive".getBytes(StandardCharsets.UTF_8))
        .post("/data_sample/")
        .then()
        .statusCode(400)
        .body("detail", containsString("zip or tar"));
    user()
        .contentType("application/json")
        .body(
            "{\"data_manager_keys\": [\""
                + manager
                + "\"], \"data_sample_keys\": [\""
                + UNKNOWN
                + "\"]}")
        .post("/data_sample/bulk_update/")
        .then()
        .statusCode(404);
    user().get("/data_manager/" + manager + "/").then().body("data_sample_keys", hasSize(0));
  }

  private ValidatableResponse refused(String body) {
    return user()
        .contentType("application/json")
        .body(body)
        .post("/data_sample/")
        .then()
        .statusCode(400);
  }

  private boolean stored(String sample) {
    try {
      storage.statObject(
          StatObjectArgs.builder().bucket("substra-datasample").object(sample).build());
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  /** checksumdir's folder hash, written out independently of the service's. */
  private static String folderHash(String... contents) {
    List<String> digests = new ArrayList<>();
    for (String content : contents) {
      digests.add(Uploaded.sha256(content.getBytes(StandardCharsets.UTF_8)));
    }
    digests.sort(null);
    return Uploaded.sha256(String.join("", digests).getBytes(StandardCharsets.UTF_8));
  }
}
