package org.substra.node.scheduler.reconciliation;

import jakarta.inject.Singleton;
import org.substra.node.scheduler.jobs.JobSchedule;
import org.substra.node.scheduler.jobs.PeriodicJob;

/** The read model checked against the orchestrator. */
@Singleton
public class ReconciliationJob extends PeriodicJob {

  public static final String ID = "reconciliation";

  private final ReconciliationConfig config;
  private final ReadModelReconciliation reconciliation;

  ReconciliationJob(ReconciliationConfig config, ReadModelReconciliation reconciliation) {
    this.config = config;
    this.reconciliation = reconciliation;
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public JobSchedule schedule() {
    return config;
  }

  @Override
  protected String runOnce() throws Exception {
    return reconciliation.compare().toString();
  }
}
