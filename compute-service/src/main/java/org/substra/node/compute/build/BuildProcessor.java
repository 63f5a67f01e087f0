package org.substra.node.compute.build;

import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;
import org.substra.node.compute.config.ComputeConfig;
import org.substra.node.compute.executor.BuildFailure;
import org.substra.node.compute.executor.Executor;
import org.substra.node.compute.orchestrator.OrchestratorClient;
import org.substra.node.compute.outputs.FailureReports;
import org.substra.node.orchestrator.protocol.Addressable;
import org.substra.node.orchestrator.protocol.ErrorType;
import org.substra.node.orchestrator.protocol.FailedAssetKind;
import org.substra.node.orchestrator.protocol.Function;
import org.substra.node.orchestrator.protocol.FunctionAction;
import org.substra.node.orchestrator.protocol.FunctionStatus;

/**
 * The image build of a function of this organization (worker-spec §4.1): WAITING → BUILDING, the
 * executor builds, then the image is recorded and the function READY; a function at fault gets a
 * BUILD_ERROR report with its logs (the orchestrator then fails it and its tasks). A redelivered
 * message finds BUILDING and builds again; READY, FAILED and CANCELED are final.
 */
@ApplicationScoped
public class BuildProcessor {

  private static final Logger LOG = Logger.getLogger(BuildProcessor.class);

  private final OrchestratorClient orchestrator;
  private final FailureReports failures;
  private final String apiUrl;

  BuildProcessor(OrchestratorClient orchestrator, FailureReports failures, ComputeConfig config) {
    this.orchestrator = orchestrator;
    this.failures = failures;
    this.apiUrl = config.apiUrl().replaceAll("/+$", "");
  }

  public void process(Executor executor, String channel, String functionKey) throws Exception {
    Function function = orchestrator.function(channel, functionKey);
    if (!orchestrator.mspId().equals(function.getOwner())) {
      return;
    }
    FunctionStatus status = function.getStatus();
    if (status == FunctionStatus.FUNCTION_STATUS_READY) {
      // a duplicate: prepare this replica's copy anyway, tasks will need it
      executor.build(function);
      return;
    }
    if (status != FunctionStatus.FUNCTION_STATUS_WAITING
        && status != FunctionStatus.FUNCTION_STATUS_BUILDING) {
      return;
    }
    if (status == FunctionStatus.FUNCTION_STATUS_WAITING) {
      orchestrator.functionAction(channel, functionKey, FunctionAction.FUNCTION_ACTION_BUILDING);
    }
    long started = System.nanoTime();
    try {
      executor.build(function);
    } catch (BuildFailure e) {
      LOG.infof("function %s does not build: %s", functionKey, e.getMessage());
      failures.withLogs(
          channel,
          functionKey,
          FailedAssetKind.FAILED_ASSET_FUNCTION,
          ErrorType.ERROR_TYPE_BUILD,
          e.logs());
      return;
    }
    orchestrator.profilingStep(
        channel, functionKey, "build_image", (System.nanoTime() - started) / 1000);
    String checksum = function.getArchive().getChecksum();
    orchestrator.updateFunctionImage(
        channel,
        function,
        Addressable.newBuilder()
            .setChecksum(checksum.isEmpty() ? "0".repeat(64) : checksum)
            .setStorageAddress(apiUrl + "/function/" + functionKey + "/image/")
            .build());
    orchestrator.functionAction(channel, functionKey, FunctionAction.FUNCTION_ACTION_READY);
  }

  /** Our own failure after the last attempt: INTERNAL_ERROR (the function must be BUILDING). */
  public void giveUp(String channel, String functionKey) {
    Function function = orchestrator.function(channel, functionKey);
    if (function.getStatus() == FunctionStatus.FUNCTION_STATUS_BUILDING) {
      failures.internal(channel, functionKey, FailedAssetKind.FAILED_ASSET_FUNCTION);
    }
  }
}
