package org.substra.node.api.function;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import io.minio.ListObjectsArgs;
import io.minio.MinioAsyncClient;
import io.minio.MinioClient;
import io.minio.Result;
import io.minio.messages.Item;
import io.minio.messages.Upload;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.substra.node.api.auth.AuthenticationTest;
import org.substra.node.api.storage.Buckets;
import org.substra.node.testing.Dependency;
import org.substra.node.testing.WithLocalDependencies;

/**
 * A file over {@code api.uploads.max-file-size} is refused, and nothing of it is left in object
 * storage, even when a streamed data sample had already sent parts of it.
 */
@QuarkusTest
@TestProfile(UploadLimitTest.SmallUploads.class)
@WithLocalDependencies({Dependency.POSTGRESQL, Dependency.OBJECT_STORAGE, Dependency.ORCHESTRATOR})
class UploadLimitTest {

  @Inject MinioClient storage;
  @Inject MinioAsyncClient async;

  public static class SmallUploads implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      // Over one part of a streamed upload (5 MiB), so that the refusal comes mid-upload.
      return Map.of("api.uploads.max-file-size", "6M");
    }
  }

  @Test
  void aFileOverTheLimitIs413() {

    given()
        .header("Authorization", "Token " + AuthenticationTest.login().getString("token"))
        .multiPart("json", FunctionRegistrationTest.DEFINITION)
        .multiPart("file", "function.zip", new byte[7 * 1024 * 1024])
        .multiPart("description", "description.md", "# d\n".getBytes(StandardCharsets.UTF_8))
        .post("/function/")
        .then()
        .statusCode(413)
        .body("detail", containsString("File too large"));
  }

  @Test
  void aDataSampleOverTheLimitIs413AndLeavesNothingInStorage() throws Exception {
    Instant start = Instant.now().minusSeconds(1);
    Set<String> pending = incompleteUploads();

    given()
        .header("Authorization", "Token " + AuthenticationTest.login().getString("token"))
        // The file before the json: stored as it arrives, refused once it is over the limit.
        .multiPart("sample", "sample", new byte[7 * 1024 * 1024])
        .multiPart("json", "{\"data_manager_keys\": [\"aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa\"]}")
        .post("/data_sample/")
        .then()
        .statusCode(413)
        .body("detail", containsString("File too large: \"sample\""));

    // Other test runs share the store: what this upload could have left is at least one 5 MiB part.
    for (Result<Item> each :
        storage.listObjects(ListObjectsArgs.builder().bucket(Buckets.DATA_SAMPLES).build())) {
      Item item = each.get();
      if (item.size() >= 5 * 1024 * 1024) {
        assertThat(item.lastModified().toInstant()).as(item.objectName()).isBefore(start);
      }
    }
    assertThat(incompleteUploads()).isSubsetOf(pending);
  }

  private Set<String> incompleteUploads() throws Exception {
    return async
        .listMultipartUploadsAsync(
            Buckets.DATA_SAMPLES, null, null, null, null, 1000, null, null, null, null)
        .get()
        .result()
        .uploads()
        .stream()
        .map(Upload::uploadId)
        .collect(Collectors.toSet());
  }
}
