package org.substra.node.scheduler.storage;

import jakarta.inject.Singleton;
import org.substra.node.scheduler.jobs.PeriodicJob;

/** Object storage kept to what the node's assets need. */
@Singleton
public class StorageCleanupJob extends PeriodicJob {

  public static final String ID = "storage-cleanup";

  private final StorageCleanupService cleanup;

  StorageCleanupJob(StorageCleanupConfig config, StorageCleanupService cleanup) {
    super(ID, config);
    this.cleanup = cleanup;
  }

  @Override
  protected String runOnce() throws Exception {
    return cleanup.cleanUp().toString();
  }
}
