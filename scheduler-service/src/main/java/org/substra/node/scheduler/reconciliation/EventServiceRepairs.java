package org.substra.node.scheduler.reconciliation;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

/**
 * event-service's internal repair endpoint ({@code POST /internal/repairs/tasks}): it re-projects
 * tasks from the orchestrator, since only event-service writes the read model and derives plans.
 */
@Singleton
public class EventServiceRepairs {

  /**
   * What event-service did: tasks re-projected, already in agreement, unknown to the orchestrator.
   */
  public record Result(List<String> repaired, List<String> unchanged, List<String> unknown) {}

  private final ReconciliationConfig config;
  private final HttpClient http;

  EventServiceRepairs(ReconciliationConfig config) {
    this.config = config;
    this.http = HttpClient.newBuilder().connectTimeout(config.repairTimeout()).build();
  }

  public Result repair(List<String> keys) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create(
                    config.eventServiceUrl().replaceAll("/+$", "") + "/internal/repairs/tasks"))
            .timeout(config.repairTimeout())
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    new JsonObject().put("keys", new JsonArray(keys)).encode()))
            .build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException(
          "event-service answered the repair with "
              + response.statusCode()
              + ": "
              + response.body());
    }
    JsonObject body = new JsonObject(response.body());
    return new Result(keys(body, "repaired"), keys(body, "unchanged"), keys(body, "unknown"));
  }

  private static List<String> keys(JsonObject body, String field) {
    JsonArray keys = body.getJsonArray(field, new JsonArray());
    return keys.stream().map(String::valueOf).toList();
  }
}
