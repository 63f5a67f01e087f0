package org.substra.node.scheduler.tokens;

import jakarta.inject.Singleton;
import org.substra.node.scheduler.jobs.JobSchedule;
import org.substra.node.scheduler.jobs.PeriodicJob;

/** Deletes the expired tokens of api-service, so that its table does not grow with every login. */
@Singleton
public class TokenFlushJob extends PeriodicJob {

  public static final String ID = "token-flush";

  private final TokenFlushConfig config;
  private final ExpiredTokenRepository tokens;

  TokenFlushJob(TokenFlushConfig config, ExpiredTokenRepository tokens) {
    this.config = config;
    this.tokens = tokens;
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
    return "flushed " + tokens.deleteExpired() + " expired tokens";
  }
}
