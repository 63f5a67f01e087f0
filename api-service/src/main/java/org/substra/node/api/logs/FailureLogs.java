package org.substra.node.api.logs;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.substra.node.api.download.Downloads;
import org.substra.node.api.error.ApiException;
import org.substra.node.api.function.FunctionReadModel;
import org.substra.node.api.storage.Buckets;
import org.substra.node.api.task.TaskReadModel;

/**
 * The logs of a failed task (REST spec §5.4): its own execution logs, checked against its logs
 * permission, or the build logs of its function, checked against the function's process permission.
 */
@ApplicationScoped
public class FailureLogs {

  private final TaskReadModel tasks;
  private final FunctionReadModel functions;
  private final FailureReports reports;
  private final Downloads downloads;

  FailureLogs(
      TaskReadModel tasks,
      FunctionReadModel functions,
      FailureReports reports,
      Downloads downloads) {
    this.tasks = tasks;
    this.functions = functions;
    this.reports = reports;
    this.downloads = downloads;
  }

  /** {@code GET /task/{key}/logs/}. */
  @SuppressWarnings("unchecked")
  public Response ofTask(String channel, String key) {
    String checked = Downloads.key(key);
    Map<String, Object> task =
        ApiException.found(tasks.get(channel, checked, "").await().indefinitely(), "ComputeTask");
    Object function = task.get("function");
    String functionKey =
        function instanceof Map<?, ?> embedded
            ? (String) embedded.get("key")
            : String.valueOf(function);
    FailureReports.FailureReport report = reports.find(channel, checked).await().indefinitely();
    if (report == null && "BUILD_ERROR".equals(task.get("error_type"))) {
      report = reports.find(channel, functionKey).await().indefinitely();
    }
    if (report != null && report.assetKey().equals(functionKey)) {
      Map<String, Object> built =
          ApiException.found(
              functions.get(channel, functionKey, "").await().indefinitely(), "Function");
      Map<String, Object> permissions = (Map<String, Object>) built.get("permissions");
      downloads.requireAllowed(
          (Map<String, Object>) permissions.get("process"), "the logs of task \"" + key + "\"");
    } else {
      downloads.requireAllowed(
          (Map<String, Object>) task.get("logs_permission"), "the logs of task \"" + key + "\"");
    }
    return serve(report, checked);
  }

  /** {@code GET /logs/{key}/file/}: the logs by the failed asset's key (task or function). */
  public Response ofAsset(String channel, String key) {
    String checked = Downloads.key(key);
    FailureReports.FailureReport report = reports.find(channel, checked).await().indefinitely();
    Map<String, Object> task = tasks.get(channel, checked, "").await().indefinitely();
    if (task != null) {
      return ofTask(channel, checked);
    }
    if (report == null) {
      throw ApiException.detail(404, "No failure report matches the given query.");
    }
    return ofFunction(channel, report);
  }

  @SuppressWarnings("unchecked")
  private Response ofFunction(String channel, FailureReports.FailureReport report) {
    Map<String, Object> function =
        ApiException.found(
            functions.get(channel, report.assetKey(), "").await().indefinitely(), "Function");
    Map<String, Object> permissions = (Map<String, Object>) function.get("permissions");
    downloads.requireAllowed(
        (Map<String, Object>) permissions.get("process"),
        "the build logs of function \"" + report.assetKey() + "\"");
    return serve(report, report.assetKey());
  }

  private Response serve(FailureReports.FailureReport report, String taskKey) {
    if (report == null || report.logsAddress() == null || report.logsAddress().isEmpty()) {
      throw ApiException.detail(410, "Asset not available anymore");
    }
    // The owner serves logs by the failed asset's key (REST spec §5.4 step 4).
    return downloads.stream(
        report.owner(),
        "/logs/" + report.assetKey() + "/file/",
        Buckets.LOGS,
        report.assetKey(),
        "tuple_logs_" + taskKey + ".txt",
        "text/plain; charset=utf-8");
  }
}
