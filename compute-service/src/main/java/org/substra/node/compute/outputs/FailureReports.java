package org.substra.node.compute.outputs;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.substra.node.compute.config.ComputeConfig;
import org.substra.node.compute.orchestrator.OrchestratorClient;
import org.substra.node.compute.staging.Checksums;
import org.substra.node.compute.storage.ObjectStore;
import org.substra.node.orchestrator.protocol.Addressable;
import org.substra.node.orchestrator.protocol.ErrorType;
import org.substra.node.orchestrator.protocol.FailedAssetKind;

/**
 * Failure reports (worker-spec §2.9): BUILD and EXECUTION errors carry their logs, stored as {@code
 * substra-asset-logs/<asset key>} and served by api-service at {@code <api>/logs/<key>/file/};
 * INTERNAL errors have none.
 */
@ApplicationScoped
public class FailureReports {

  private final ObjectStore store;
  private final OrchestratorClient orchestrator;
  private final String apiUrl;

  FailureReports(ObjectStore store, OrchestratorClient orchestrator, ComputeConfig config) {
    this.store = store;
    this.orchestrator = orchestrator;
    this.apiUrl = config.apiUrl().replaceAll("/+$", "");
  }

  public void withLogs(
      String channel, String asset, FailedAssetKind kind, ErrorType error, String logs)
      throws IOException {
    byte[] content = logs.getBytes(StandardCharsets.UTF_8);
    store.put(ObjectStore.LOGS, asset, content);
    Addressable address =
        Addressable.newBuilder()
            .setChecksum(Checksums.sha256(content))
            .setStorageAddress(apiUrl + "/logs/" + asset + "/file/")
            .build();
    orchestrator.failureReport(channel, asset, kind, error, address);
  }

  public void internal(String channel, String asset, FailedAssetKind kind) {
    orchestrator.failureReport(channel, asset, kind, ErrorType.ERROR_TYPE_INTERNAL, null);
  }
}
