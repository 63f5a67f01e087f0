package org.substra.node.orchestrator.storage;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How writes are retried. */
@ConfigMapping(prefix = "orchestrator.transactions")
public interface StorageConfig {

  /**
   * How long a write keeps being retried after a serialization failure (SQLSTATE 40001), counted
   * from its first attempt; the reference chart's ORCHESTRATOR_TX_RETRY_BUDGET.
   */
  @WithDefault("500ms")
  Duration retryBudget();
}
