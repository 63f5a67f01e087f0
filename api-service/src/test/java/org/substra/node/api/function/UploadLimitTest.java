package org.substra.node.api.function;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.substra.node.api.auth.AuthenticationTest;
import org.substra.node.testing.Dependency;
import org.substra.node.testing.WithLocalDependencies;

/** A file over {@code api.uploads.max-file-size} is refused before anything is stored. */
@QuarkusTest
@TestProfile(UploadLimitTest.SmallUploads.class)
@WithLocalDependencies({Dependency.POSTGRESQL, Dependency.OBJECT_STORAGE, Dependency.ORCHESTRATOR})
class UploadLimitTest {

  public static class SmallUploads implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("api.uploads.max-file-size", "1K");
    }
  }

  @Test
  void aFileOverTheLimitIs413() {

    given()
        .header("Authorization", "Token " + AuthenticationTest.login().getString("token"))
        .multiPart("json", FunctionRegistrationTest.DEFINITION)
        .multiPart("file", "function.zip", new byte[2048])
        .multiPart("description", "description.md", "# d\n".getBytes(StandardCharsets.UTF_8))
        .post("/function/")
        .then()
        .statusCode(413)
        .body("detail", containsString("File too large"));
  }
}
