package org.substra.node.orchestrator.failurereport;

import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;
import org.substra.node.orchestrator.identity.Caller;
import org.substra.node.orchestrator.protocol.FailureReport;
import org.substra.node.orchestrator.protocol.GetFailureReportParam;
import org.substra.node.orchestrator.protocol.NewFailureReport;

/** {@code orchestrator.FailureReportService}. */
@GrpcService
public class FailureReportGrpcService
    implements org.substra.node.orchestrator.protocol.FailureReportService {

  private final FailureReportService reports;

  FailureReportGrpcService(FailureReportService reports) {
    this.reports = reports;
  }

  @Override
  public Uni<FailureReport> registerFailureReport(NewFailureReport request) {
    return reports.register(Caller.current(), request);
  }

  @Override
  public Uni<FailureReport> getFailureReport(GetFailureReportParam request) {
    return reports.get(Caller.current(), request.getAssetKey());
  }
}
