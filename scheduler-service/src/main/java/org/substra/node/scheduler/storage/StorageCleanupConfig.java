package org.substra.node.scheduler.storage;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;
import org.substra.node.scheduler.jobs.JobSchedule;

/**
 * Object storage clean-up: orphan files (uploaded, never registered) and models the orchestrator
 * disabled (intermediary models no longer needed, worker-spec §2.12).
 */
@ConfigMapping(prefix = "scheduler.storage-cleanup")
public interface StorageCleanupConfig extends JobSchedule {

  @Override
  @WithDefault("true")
  boolean enabled();

  @Override
  Optional<String> cron();

  @Override
  @WithDefault("1h")
  Duration every();

  /**
   * How old an object whose asset is unknown to the read model must be before it is deleted: an
   * upload is registered in the orchestrator and projected into the read model some time after it
   * lands in storage, and the read model may lag behind the orchestrator.
   */
  @WithDefault("24h")
  Duration orphanGracePeriod();

  /** The buckets of the layout agreed with api-service and compute-service. */
  Buckets buckets();

  interface Buckets {
    /** {@code <function key>/archive}, {@code <function key>/description}. */
    @WithDefault("substra-function")
    String function();

    /** {@code <data manager key>/opener}, {@code <data manager key>/description}. */
    @WithDefault("substra-datamanager")
    String dataManager();

    /** {@code <data sample key>} (and anything under it). */
    @WithDefault("substra-datasample")
    String dataSample();

    /** {@code models/<model key>/model}. */
    @WithDefault("substra-model")
    String model();

    /** {@code <task or function key>}: failure logs. */
    @WithDefault("substra-asset-logs")
    String assetLogs();
  }
}
