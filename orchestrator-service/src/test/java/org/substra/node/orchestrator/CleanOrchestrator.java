package org.substra.node.orchestrator;

import io.vertx.mutiny.sqlclient.Pool;
import java.time.Duration;

/** Tests start from an empty orchestrator database. */
public final class CleanOrchestrator {

  private CleanOrchestrator() {}

  public static void truncate(Pool pool) {
    pool.query(
            "TRUNCATE organizations, events, functions, datamanagers, datasamples,"
                + " datasample_datamanagers, compute_plans, compute_tasks, compute_task_parents,"
                + " compute_task_output_assets, models, performances, failure_reports,"
                + " publication_marks")
        .execute()
        .await()
        .atMost(Duration.ofSeconds(10));
  }
}
