package org.substra.node.scheduler.registry;

import jakarta.inject.Singleton;
import org.substra.node.scheduler.jobs.PeriodicJob;

/** The registry kept to the function images the node still needs. */
@Singleton
public class RegistryHousekeepingJob extends PeriodicJob {

  public static final String ID = "registry-housekeeping";

  private final RegistryHousekeepingService housekeeping;

  RegistryHousekeepingJob(
      RegistryHousekeepingConfig config, RegistryHousekeepingService housekeeping) {
    super(ID, config);
    this.housekeeping = housekeeping;
  }

  @Override
  protected String runOnce() throws Exception {
    return housekeeping.houseKeep().toString();
  }
}
