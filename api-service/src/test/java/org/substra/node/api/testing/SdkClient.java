package org.substra.node.api.testing;

import static io.restassured.RestAssured.given;

import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.substra.node.api.auth.AuthenticationTest;

/** The calls of the Substra SDK 1.0 (REST spec §9), as a logged-in user of the test node. */
public final class SdkClient {

  private final String token;

  private SdkClient(String token) {
    this.token = token;
  }

  public static SdkClient login() {
    return new SdkClient(AuthenticationTest.login().getString("token"));
  }

  /** A new request each time: a RestAssured specification keeps the query of its last call. */
  public RequestSpecification request() {
    return given().header("Authorization", "Token " + token).accept("application/json;version=0.0");
  }

  /** {@code add_function}: answers the key. */
  public String function(String definition) {
    return request()
        .multiPart("json", definition)
        .multiPart("file", "function.zip", Uploaded.functionArchive())
        .multiPart("description", "description.md", "# f\n".getBytes(StandardCharsets.UTF_8))
        .post("/function/")
        .then()
        .statusCode(201)
        .extract()
        .path("key");
  }

  /** {@code add_dataset}, private to this organization: answers the key. */
  public String dataset(String name) {
    return request()
        .multiPart(
            "json",
            "{\"name\": \""
                + name
                + "\", \"permissions\": {\"public\": false, \"authorized_ids\": []},"
                + " \"logs_permission\": {\"public\": false, \"authorized_ids\": []}}")
        .multiPart("data_opener", "opener.py", "# opener\n".getBytes(StandardCharsets.UTF_8))
        .multiPart("description", "description.md", "# d\n".getBytes(StandardCharsets.UTF_8))
        .post("/data_manager/")
        .then()
        .statusCode(201)
        .extract()
        .path("key");
  }

  /** {@code add_data_samples} with {@code count} uploaded samples: answers their keys. */
  public List<String> samples(String dataset, int count) {
    RequestSpecification request =
        request().multiPart("json", "{\"data_manager_keys\": [\"" + dataset + "\"]}");
    for (int i = 0; i < count; i++) {
      request.multiPart(
          "sample-" + i,
          "sample-" + i,
          Uploaded.zip(Map.of("data.csv", i + "," + UUID.randomUUID())));
    }
    return request.post("/data_sample/").then().statusCode(201).extract().path("key");
  }

  /** {@code add_compute_plan} without tasks: answers the key. */
  public String plan(String name) {
    String key = UUID.randomUUID().toString();
    request()
        .contentType("application/json")
        .body("{\"key\": \"" + key + "\", \"name\": \"" + name + "\"}")
        .post("/compute_plan/")
        .then()
        .statusCode(201);
    return key;
  }
}
