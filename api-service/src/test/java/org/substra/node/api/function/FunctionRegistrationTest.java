package org.substra.node.api.function;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;

import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.substra.node.api.auth.AuthenticationTest;
import org.substra.node.api.testing.RealNetwork;
import org.substra.node.api.testing.Uploaded;
import org.substra.node.testing.Dependency;
import org.substra.node.testing.WithLocalDependencies;

/**
 * {@code POST /function/} through the real orchestrator and event-service (§4.3), renames and the
 * file downloads (§5.2).
 */
@QuarkusTest
@WithLocalDependencies({Dependency.POSTGRESQL, Dependency.OBJECT_STORAGE})
@QuarkusTestResource(value = RealNetwork.class, restrictToAnnotatedClass = true)
class FunctionRegistrationTest {

  static final String DEFINITION =
      """
      {"name": "train", "permissions": {"public": false, "authorized_ids": ["MyOrg2MSP"]},
       "metadata": {"epochs": "10"}, "unknown": "ignored",
       "inputs": {"datasamples": {"kind": "ASSET_DATA_SAMPLE", "optional": false, "multiple": true},
                  "opener": {"kind": "ASSET_DATA_MANAGER", "optional": false, "multiple": false}},
       "outputs": {"shared": {"kind": "ASSET_MODEL", "multiple": false}}}
      """;

  @Inject MinioClient storage;

  private String token;

  @BeforeEach
  void login() {
    token = AuthenticationTest.login().getString("token");
  }

  private RequestSpecification user() {
    return given().header("Authorization", "Token " + token).accept("application/json;version=0.0");
  }

  /** Registers a function as the SDK does and answers its key. */
  static String register(RequestSpecification user, String definition, byte[] archive) {
    return user.multiPart("json", definition)
        .multiPart("file", "function.zip", archive)
        .multiPart("description", "description.md", "# Train\n".getBytes(StandardCharsets.UTF_8))
        .post("/function/")
        .then()
        .statusCode(201)
        .extract()
        .path("key");
  }

  @Test
  void aRegisteredFunctionIsReadableRightAwayWithItsFiles() {
    byte[] archive = Uploaded.functionArchive();
    JsonPath created =
        user()
            .multiPart("json", DEFINITION)
            .multiPart("file", "function.zip", archive)
            .multiPart(
                "description", "description.md", "# Train\n".getBytes(StandardCharsets.UTF_8))
            .post("/function/")
            .then()
            .statusCode(201)
            .extract()
            .jsonPath();
    String key = created.getString("key");
    assertThat(created.getString("status")).isEqualTo("FUNCTION_STATUS_WAITING");

    user()
        .get("/function/" + key + "/")
        .then()
        .statusCode(200)
        .body("name", equalTo("train"))
        .body("owner", equalTo("MyOrg1MSP"))
        .body("metadata.epochs", equalTo("10"))
        .body(
            "permissions.process.authorized_ids",
            org.hamcrest.Matchers.hasItems("MyOrg1MSP", "MyOrg2MSP"))
        .body("inputs.opener.kind", equalTo("ASSET_DATA_MANAGER"))
        .body("outputs.shared.kind", equalTo("ASSET_MODEL"))
        .body("archive.checksum", equalTo(Uploaded.sha256(archive)))
        .body("archive.storage_address", endsWith("/function/" + key + "/file/"));

    byte[] downloaded =
        user().get("/function/" + key + "/file/").then().statusCode(200).extract().asByteArray();
    assertThat(downloaded).isEqualTo(archive);
    user()
        .get("/function/" + key + "/description/")
        .then()
        .statusCode(200)
        .contentType(containsString("charset=utf-8"))
        .body(equalTo("# Train\n"));
  }

  @Test
  void modelsAreNotExportedWhereTheChannelDisablesIt() {
    user()
        .get("/model/aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa/file/")
        .then()
        .statusCode(403)
        .body("detail", equalTo("Disabled: model_export_enabled is disabled on MyOrg1MSP"));
  }

  @Test
  void renamingIsVisibleWhenItAnswers() {
    String key = register(user(), DEFINITION, Uploaded.functionArchive());
    user()
        .contentType("application/json")
        .body("{\"name\": \"renamed\"}")
        .put("/function/" + key + "/")
        .then()
        .statusCode(200)
        .body(equalTo("{}"));
    user().get("/function/" + key + "/").then().body("name", equalTo("renamed"));

    user()
        .contentType("application/json")
        .body("{\"name\": \"\"}")
        .put("/function/" + key + "/")
        .then()
        .statusCode(400);
    user()
        .contentType("application/json")
        .body("{\"name\": \"x\"}")
        .put("/function/aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa/")
        .then()
        .statusCode(404);
  }

  @Test
  void anArchiveWithoutDockerfileIsRefusedAndNothingIsStored() {
    long before = storedObjects();
    user()
        .multiPart("json", DEFINITION)
        .multiPart(
            "file", "function.zip", Uploaded.zip(Map.of("function.py", "print(1)\n", "b", "")))
        .multiPart("description", "description.md", "# d\n".getBytes(StandardCharsets.UTF_8))
        .post("/function/")
        .then()
        .statusCode(400)
        .body("detail[0].file[0]", equalTo("Ensure your archive contains a Dockerfile."))
        .body("key", equalTo("(not computed)"));
    user()
        .multiPart("json", DEFINITION)
        .multiPart("file", "function.zip", "not an archive".getBytes(StandardCharsets.UTF_8))
        .multiPart("description", "description.md", "# d\n".getBytes(StandardCharsets.UTF_8))
        .post("/function/")
        .then()
        .statusCode(400)
        .body("detail[0].file[0]", containsString("zip or tar"));
    user()
        .multiPart("json", DEFINITION)
        .multiPart("description", "description.md", "# d\n".getBytes(StandardCharsets.UTF_8))
        .post("/function/")
        .then()
        .statusCode(400)
        .body("key", equalTo("(not computed)"));
    assertThat(storedObjects()).isEqualTo(before);
  }

  /** The test profile's bounds: 32 MiB unpacked, ratio 100 past 1 MiB, 1 000 entries. */
  @Test
  void anArchiveBombIsRefusedNamingItsBoundAndNothingIsStored() {
    long before = storedObjects();
    // 16 MiB of zeros in some 16 KiB, next to a valid Dockerfile
    Map<String, String> bomb =
        Map.of("Dockerfile", "FROM scratch\n", "weights.bin", "\0".repeat(16 * 1024 * 1024));
    user()
        .multiPart("json", DEFINITION)
        .multiPart("file", "function.zip", Uploaded.zip(bomb))
        .multiPart("description", "description.md", "# d\n".getBytes(StandardCharsets.UTF_8))
        .post("/function/")
        .then()
        .statusCode(400)
        .body("detail[0].file[0]", containsString("maximum compression ratio"))
        .body("key", equalTo("(not computed)"));
    Map<String, String> many = new java.util.HashMap<>();
    many.put("Dockerfile", "FROM scratch\n");
    for (int i = 0; i < 1000; i++) {
      many.put("src/" + i + ".py", "");
    }
    user()
        .multiPart("json", DEFINITION)
        .multiPart("file", "function.zip", Uploaded.zip(many))
        .multiPart("description", "description.md", "# d\n".getBytes(StandardCharsets.UTF_8))
        .post("/function/")
        .then()
        .statusCode(400)
        .body("detail[0].file[0]", containsString("more than 1000 files and folders"))
        .body("detail[0].file[0]", containsString("maximum number of entries"));
    assertThat(storedObjects()).isEqualTo(before);
  }

  @Test
  void anOrchestratorRefusalRemovesTheUploadedFiles() {
    long before = storedObjects();
    user()
        .multiPart("json", DEFINITION.replace("\"MyOrg2MSP\"]", "\"NobodyMSP\"]"))
        .multiPart("file", "function.zip", Uploaded.functionArchive())
        .multiPart("description", "description.md", "# d\n".getBytes(StandardCharsets.UTF_8))
        .post("/function/")
        .then()
        .statusCode(400)
        .body("detail", containsString("invalid permission input values"));
    assertThat(storedObjects()).isEqualTo(before);
  }

  @Test
  void badDefinitionsAreRefusedWithTheirReason() {
    post("{not json").then().statusCode(400).body("detail", containsString("Malformed JSON"));
    post(DEFINITION.replace("\"epochs\"", "\"ep__ochs\""))
        .then()
        .statusCode(400)
        .body(
            "detail",
            equalTo(
                "\"__\" cannot be used in a metadata key, please use simple underscore instead"));
    post(DEFINITION.replace("\"train\"", "\"" + "n".repeat(101) + "\""))
        .then()
        .statusCode(400)
        .body("name[0]", containsString("100 characters"));
    post(DEFINITION.replace("ASSET_MODEL", "ASSET_SOMETHING"))
        .then()
        .statusCode(400)
        .body("outputs[0]", containsString("not a valid asset kind"));
    given().multiPart("json", DEFINITION).post("/function/").then().statusCode(401);
  }

  private io.restassured.response.Response post(String definition) {
    return user()
        .multiPart("json", definition)
        .multiPart("file", "function.zip", Uploaded.functionArchive())
        .multiPart("description", "description.md", "# d\n".getBytes(StandardCharsets.UTF_8))
        .post("/function/");
  }

  private long storedObjects() {
    return StreamSupport.stream(
            storage
                .listObjects(
                    ListObjectsArgs.builder().bucket("substra-function").recursive(true).build())
                .spliterator(),
            false)
        .count();
  }
}
