package org.substra.node.orchestrator.profiling;

import com.google.protobuf.Empty;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;
import org.substra.node.orchestrator.identity.Caller;
import org.substra.node.orchestrator.protocol.ProfilingStep;

/** {@code orchestrator.ProfilingService}. */
@GrpcService
public class ProfilingGrpcService
    implements org.substra.node.orchestrator.protocol.ProfilingService {

  private final ProfilingService profiling;

  ProfilingGrpcService(ProfilingService profiling) {
    this.profiling = profiling;
  }

  @Override
  public Uni<Empty> registerProfilingStep(ProfilingStep request) {
    return profiling.register(Caller.current(), request).replaceWith(Empty.getDefaultInstance());
  }
}
