package org.substra.node.scheduler.tokens;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;
import org.substra.node.scheduler.jobs.JobSchedule;

/** Expired API tokens flushed (worker-spec §7 "flush expired tokens"). */
@ConfigMapping(prefix = "scheduler.token-flush")
public interface TokenFlushConfig extends JobSchedule {

  @Override
  @WithDefault("true")
  boolean enabled();

  @Override
  Optional<String> cron();

  /** The reference's CELERYBEAT_FLUSH_EXPIRED_TOKENS_TASK_PERIOD default: once a day. */
  @Override
  @WithDefault("24h")
  Duration every();
}
