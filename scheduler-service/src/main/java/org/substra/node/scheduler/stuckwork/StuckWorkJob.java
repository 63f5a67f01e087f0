package org.substra.node.scheduler.stuckwork;

import jakarta.inject.Singleton;
import org.substra.node.scheduler.jobs.PeriodicJob;

/** No task of this organization left waiting or EXECUTING forever. */
@Singleton
public class StuckWorkJob extends PeriodicJob {

  public static final String ID = "stuck-work";

  private final StuckWorkService recovery;

  StuckWorkJob(StuckWorkConfig config, StuckWorkService recovery) {
    super(ID, config);
    this.recovery = recovery;
  }

  @Override
  protected String runOnce() throws Exception {
    return recovery.recover().toString();
  }
}
