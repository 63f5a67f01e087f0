package org.substra.node.api.profiling;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.UUID;
import org.substra.node.api.auth.CurrentUser;
import org.substra.node.api.config.ApiConfig;
import org.substra.node.api.error.ApiException;
import org.substra.node.api.listing.Listing;
import org.substra.node.api.registration.RequestJson;

/**
 * Task profiling (REST spec §4.13): anyone of the channel reads it; only this organization's own
 * services (Basic auth as this organization) write it.
 */
@ApplicationScoped
public class TaskProfiling {

  private final TaskProfilingRepository profiles;
  private final CurrentUser current;
  private final ApiConfig config;

  TaskProfiling(TaskProfilingRepository profiles, CurrentUser current, ApiConfig config) {
    this.profiles = profiles;
    this.current = current;
    this.config = config;
  }

  public Uni<Map<String, Object>> list(Listing listing) {
    return profiles.page(current.channel(), listing);
  }

  public Uni<Map<String, Object>> get(String key) {
    return profiles
        .find(current.channel(), task(key))
        .map(found -> ApiException.found(found, "TaskProfiling"));
  }

  public Uni<Map<String, Object>> create(String body) {
    requireOwnServices();
    String key = RequestJson.parse(body, "the request body").uuid("compute_task_key");
    UUID task = UUID.fromString(key);
    return profiles
        .create(current.channel(), task)
        .chain(
            created -> {
              if (!created) {
                throw ApiException.detail(
                    409, "Task profiling for task \"" + key + "\" already exists");
              }
              return profiles.find(current.channel(), task);
            });
  }

  public Uni<Map<String, Object>> restart(String key) {
    requireOwnServices();
    UUID task = task(key);
    return profiles
        .restart(current.channel(), task)
        .chain(() -> profiles.find(current.channel(), task));
  }

  /** Records a step: {@code replace} for PUT, a conflict (409) for POST of a known step. */
  public Uni<Map<String, Object>> step(String key, String step, String body, boolean replace) {
    requireOwnServices();
    UUID task = task(key);
    RequestJson request = RequestJson.parse(body, "the request body");
    String name = step != null ? step : request.text("step", "");
    if (name.isEmpty() || name.length() > 100) {
      throw ApiException.field(400, "step", "A step name of 1 to 100 characters is required.");
    }
    var duration = request.node().get("duration");
    if (duration == null || !duration.canConvertToLong() || duration.asLong() < 0) {
      throw ApiException.field(400, "duration", "A duration in microseconds is required.");
    }
    return profiles
        .find(current.channel(), task)
        .chain(
            profile -> {
              ApiException.found(profile, "TaskProfiling");
              return profiles.addStep(task, name, duration.asLong(), replace);
            })
        .map(
            recorded -> {
              if (!recorded) {
                throw ApiException.detail(
                    409, "Step \"" + name + "\" of task \"" + key + "\" already exists");
              }
              return Map.<String, Object>of("step", name, "duration", duration.asLong());
            });
  }

  private void requireOwnServices() {
    if (!current.organization().map(config.organizationId()::equals).orElse(false)) {
      throw ApiException.detail(
          403, "Only this organization's own services may record task profiling.");
    }
  }

  private static UUID task(String key) {
    try {
      return UUID.fromString(RequestJson.uuid("key", key));
    } catch (ApiException e) {
      throw ApiException.detail(400, "key is not a valid UUID: \"" + key + "\"");
    }
  }
}
