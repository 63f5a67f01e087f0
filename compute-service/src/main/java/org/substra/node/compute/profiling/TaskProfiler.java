package org.substra.node.compute.profiling;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;
import org.substra.node.compute.config.ComputeConfig;

/**
 * Records how long the steps of a task took in this node's api-service ({@code /task_profiling/},
 * REST spec §4.13), calling as this organization. Best effort and off the task's path: a profile
 * that cannot be recorded never delays or fails a task.
 */
@ApplicationScoped
public class TaskProfiler {

  private static final Logger LOG = Logger.getLogger(TaskProfiler.class);
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final String apiUrl;
  private final Optional<String> authorization;
  private final HttpClient http;

  @Inject
  TaskProfiler(ComputeConfig config) {
    this(config.apiUrl(), config.mspId(), config.orgLink().selfSecret());
  }

  TaskProfiler(String apiUrl, String mspId, Optional<String> selfSecret) {
    this.apiUrl = apiUrl.replaceAll("/+$", "");
    this.authorization =
        selfSecret
            .filter(secret -> !secret.isBlank())
            .map(
                secret ->
                    "Basic "
                        + Base64.getEncoder()
                            .encodeToString(
                                (mspId + ":" + secret).getBytes(StandardCharsets.UTF_8)));
    this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
  }

  /** The profile of one task run: started now, its steps sent when the task ends. */
  public final class Profile {
    private final String channel;
    private final String task;
    private final CompletableFuture<?> started;
    private final Map<String, Long> steps = new LinkedHashMap<>();

    private Profile(String channel, String task, CompletableFuture<?> started) {
      this.channel = channel;
      this.task = task;
      this.started = started;
    }

    public void step(String name, long micros) {
      steps.put(name, micros);
    }

    /**
     * Sends the steps once the profile exists, one after the other so that they are listed in the
     * order they happened; a rerun of the task replaces them.
     */
    public void finish() {
      CompletableFuture<?> sent = started;
      for (Map.Entry<String, Long> step : steps.entrySet()) {
        sent =
            sent.thenCompose(
                previous ->
                    send(
                        channel,
                        "PUT",
                        "/task_profiling/" + task + "/step/" + step.getKey() + "/",
                        "{\"duration\": " + step.getValue() + "}"));
      }
    }
  }

  /** Starts the task's profile now (task_duration counts from here). */
  public Profile start(String channel, String task) {
    CompletableFuture<?> started = send(channel, "PUT", "/task_profiling/" + task + "/", "{}");
    return new Profile(channel, task, started);
  }

  private CompletableFuture<?> send(String channel, String method, String path, String body) {
    if (authorization.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(apiUrl + path))
            .timeout(TIMEOUT)
            .header("Authorization", authorization.get())
            .header("Substra-Channel-Name", channel)
            .header("Content-Type", "application/json")
            .header("Accept", "application/json;version=0.0")
            .method(method, HttpRequest.BodyPublishers.ofString(body))
            .build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
        .handle(
            (response, failure) -> {
              if (failure != null || response.statusCode() >= 300) {
                LOG.debugf(
                    "task profiling %s %s not recorded: %s",
                    method, path, failure != null ? failure.toString() : response.statusCode());
              }
              return null;
            });
  }
}
