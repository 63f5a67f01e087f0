package org.substra.node.orchestrator;

import static org.junit.jupiter.api.Assertions.assertThrows;

import io.grpc.StatusRuntimeException;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.function.Executable;

/**
 * Base of the asset tests: each starts from an empty orchestrator in which {@link Network#ORG1} and
 * {@link Network#ORG2} registered themselves in {@code mychannel}.
 */
public abstract class NetworkTest {

  @Inject protected Pool pool;
  protected OrchestratorChannel orchestrator;
  protected Network network;

  @BeforeEach
  void openNetwork() {
    CleanOrchestrator.truncate(pool);
    orchestrator = new OrchestratorChannel();
    network = new Network(orchestrator.channel(), pool);
    network.join(Network.ORG1, Network.ORG2);
  }

  @AfterEach
  void closeNetwork() throws InterruptedException {
    orchestrator.close();
  }

  protected static StatusRuntimeException refused(Executable call) {
    return assertThrows(StatusRuntimeException.class, call);
  }
}
