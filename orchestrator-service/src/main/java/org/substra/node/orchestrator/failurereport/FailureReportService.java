package org.substra.node.orchestrator.failurereport;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.substra.node.orchestrator.asset.Validator;
import org.substra.node.orchestrator.computetask.TaskLifecycle;
import org.substra.node.orchestrator.computetask.TaskService;
import org.substra.node.orchestrator.computetask.TaskTransition;
import org.substra.node.orchestrator.error.OrchestrationException;
import org.substra.node.orchestrator.function.FunctionService;
import org.substra.node.orchestrator.function.FunctionTransition;
import org.substra.node.orchestrator.identity.Caller;
import org.substra.node.orchestrator.protocol.AssetKind;
import org.substra.node.orchestrator.protocol.ErrorType;
import org.substra.node.orchestrator.protocol.Event;
import org.substra.node.orchestrator.protocol.EventKind;
import org.substra.node.orchestrator.protocol.FailedAssetKind;
import org.substra.node.orchestrator.protocol.FailureReport;
import org.substra.node.orchestrator.protocol.NewFailureReport;
import org.substra.node.orchestrator.storage.Transactions;
import org.substra.node.orchestrator.storage.Tx;

/**
 * Failure reports (spec §3.11): registering one fails the task (and marks its plan failed) or the
 * function (and its building tasks); the report's event follows the status events.
 */
@ApplicationScoped
public class FailureReportService {

  static final String REASON = "failure report registered";

  private final Transactions transactions;
  private final FailureReportRepository reports;
  private final TaskService tasks;
  private final TaskLifecycle lifecycle;
  private final FunctionService functions;

  FailureReportService(
      Transactions transactions,
      FailureReportRepository reports,
      TaskService tasks,
      TaskLifecycle lifecycle,
      FunctionService functions) {
    this.transactions = transactions;
    this.reports = reports;
    this.tasks = tasks;
    this.lifecycle = lifecycle;
    this.functions = functions;
  }

  public Uni<FailureReport> register(Caller caller, NewFailureReport input) {
    return Uni.createFrom()
        .voidItem()
        .invoke(() -> validate(input))
        .flatMap(
            valid ->
                transactions.write(
                    caller, tx -> fail(tx, input).flatMap(failed -> store(tx, input))));
  }

  private Uni<Void> fail(Tx tx, NewFailureReport input) {
    String key = input.getAssetKey();
    if (input.getAssetType() == FailedAssetKind.FAILED_ASSET_FUNCTION) {
      return functions
          .existing(tx, key)
          .flatMap(
              function -> {
                if (!function.getOwner().equals(tx.caller().organization())) {
                  throw OrchestrationException.permissionDenied(
                      "only function owner can register a failure report");
                }
                return functions.transition(tx, function, FunctionTransition.FAILED, REASON);
              });
    }
    return tasks
        .executing(tx, key, "failure report")
        .flatMap(task -> lifecycle.apply(tx, List.of(task), TaskTransition.FAILED, REASON))
        .replaceWithVoid();
  }

  private Uni<FailureReport> store(Tx tx, NewFailureReport input) {
    FailureReport.Builder report =
        FailureReport.newBuilder()
            .setAssetKey(input.getAssetKey())
            .setErrorType(input.getErrorType())
            .setCreationDate(tx.nowTimestamp())
            .setOwner(tx.caller().organization())
            .setAssetType(input.getAssetType());
    if (input.hasLogsAddress()) {
      report.setLogsAddress(input.getLogsAddress());
    }
    FailureReport stored = report.build();
    tx.emit(
        Event.newBuilder()
            .setAssetKey(stored.getAssetKey())
            .setAssetKind(AssetKind.ASSET_FAILURE_REPORT)
            .setEventKind(EventKind.EVENT_ASSET_CREATED)
            .setFailureReport(stored));
    return reports.insert(tx, stored).replaceWith(stored);
  }

  public Uni<FailureReport> get(Caller caller, String assetKey) {
    return transactions.read(
        caller,
        tx ->
            reports
                .find(tx, assetKey)
                .invoke(
                    report -> {
                      if (report == null) {
                        throw OrchestrationException.notFound("failure report", assetKey);
                      }
                    }));
  }

  private static void validate(NewFailureReport input) {
    ErrorType type = input.getErrorType();
    boolean logged = type == ErrorType.ERROR_TYPE_BUILD || type == ErrorType.ERROR_TYPE_EXECUTION;
    Validator validator =
        Validator.of("failure report")
            .uuid("asset_key", input.getAssetKey())
            .check(
                "error_type",
                logged || type == ErrorType.ERROR_TYPE_INTERNAL,
                "must be one of ERROR_TYPE_BUILD, ERROR_TYPE_EXECUTION, ERROR_TYPE_INTERNAL");
    if (logged) {
      validator.addressable("logs_address", input.hasLogsAddress(), input.getLogsAddress());
    } else if (type == ErrorType.ERROR_TYPE_INTERNAL) {
      validator.check("logs_address", !input.hasLogsAddress(), "must be blank");
    }
    validator.validate();
    if (input.getAssetType() != FailedAssetKind.FAILED_ASSET_COMPUTE_TASK
        && input.getAssetType() != FailedAssetKind.FAILED_ASSET_FUNCTION) {
      throw OrchestrationException.badRequest(
          "can only register failure for asset_kind values function and compute task");
    }
  }
}
