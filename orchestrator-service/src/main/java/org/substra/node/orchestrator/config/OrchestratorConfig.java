package org.substra.node.orchestrator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings of the standalone orchestrator. */
@ConfigMapping(prefix = "orchestrator")
public interface OrchestratorConfig {

  Keepalive keepalive();

  /** HTTP/2 keepalive policy that the gRPC server enforces on its clients. */
  interface Keepalive {

    /**
     * Shortest interval between client pings that the server tolerates. Substra backends ping every
     * 60 s on the event stream; grpc-java's 5 min default would answer with GOAWAY too_many_pings.
     */
    @WithDefault("30s")
    Duration permitTime();

    /** Whether clients may ping while no call is open. */
    @WithDefault("false")
    boolean permitWithoutCalls();
  }
}
