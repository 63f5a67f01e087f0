package org.substra.node.compute.testing;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** A test class's client of the real orchestrator and its work queues, open for all its tests. */
public abstract class NetworkAndQueues {

  protected static TestNetwork network;
  protected static WorkQueues queues;

  @BeforeAll
  static void connect() throws Exception {
    network = new TestNetwork();
    queues = new WorkQueues();
  }

  @AfterAll
  static void disconnect() throws Exception {
    queues.close();
    network.close();
  }
}
