package org.substra.node.scheduler.registry;

import jakarta.inject.Singleton;
import org.substra.node.scheduler.jobs.JobSchedule;
import org.substra.node.scheduler.jobs.PeriodicJob;

/** The registry kept to the function images the node still needs. */
@Singleton
public class RegistryHousekeepingJob extends PeriodicJob {

  public static final String ID = "registry-housekeeping";

  private final RegistryHousekeepingConfig config;
  private final RegistryHousekeepingService housekeeping;

  RegistryHousekeepingJob(
      RegistryHousekeepingConfig config, RegistryHousekeepingService housekeeping) {
    this.config = config;
    this.housekeeping = housekeeping;
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
    return housekeeping.houseKeep().toString();
  }
}
