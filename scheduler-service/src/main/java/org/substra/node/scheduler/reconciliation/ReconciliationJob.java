package org.substra.node.scheduler.reconciliation;

import jakarta.inject.Singleton;
import org.substra.node.scheduler.jobs.PeriodicJob;

/** The read model checked against the orchestrator. */
@Singleton
public class ReconciliationJob extends PeriodicJob {

  public static final String ID = "reconciliation";

  private final ReadModelReconciliation reconciliation;

  ReconciliationJob(ReconciliationConfig config, ReadModelReconciliation reconciliation) {
    super(ID, config);
    this.reconciliation = reconciliation;
  }

  @Override
  protected String runOnce() throws Exception {
    return reconciliation.compare().toString();
  }
}
