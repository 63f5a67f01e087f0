package org.substra.node.scheduler.tokens;

import jakarta.inject.Singleton;
import org.substra.node.scheduler.jobs.PeriodicJob;

/** Deletes the expired tokens of api-service, so that its table does not grow with every login. */
@Singleton
public class TokenFlushJob extends PeriodicJob {

  public static final String ID = "token-flush";

  private final ExpiredTokenRepository tokens;

  TokenFlushJob(TokenFlushConfig config, ExpiredTokenRepository tokens) {
    super(ID, config);
    this.tokens = tokens;
  }

  @Override
  protected String runOnce() throws Exception {
    return "flushed " + tokens.deleteExpired() + " expired tokens";
  }
}
