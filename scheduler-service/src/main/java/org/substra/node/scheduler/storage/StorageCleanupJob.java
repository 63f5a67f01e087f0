package org.substra.node.scheduler.storage;

import jakarta.inject.Singleton;
import org.substra.node.scheduler.jobs.JobSchedule;
import org.substra.node.scheduler.jobs.PeriodicJob;

/** Object storage kept to what the node's assets need. */
@Singleton
public class StorageCleanupJob extends PeriodicJob {

  public static final String ID = "storage-cleanup";

  private final StorageCleanupConfig config;
  private final StorageCleanupService cleanup;

  StorageCleanupJob(StorageCleanupConfig config, StorageCleanupService cleanup) {
    this.config = config;
    this.cleanup = cleanup;
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
    return cleanup.cleanUp().toString();
  }
}
