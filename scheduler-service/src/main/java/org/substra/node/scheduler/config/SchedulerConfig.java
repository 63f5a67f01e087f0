package org.substra.node.scheduler.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;

/** Settings of scheduler-service. */
@ConfigMapping(prefix = "scheduler")
public interface SchedulerConfig {

  /** This organization's id in the network (Substra's MSP ID). */
  @WithDefault("MyOrg1MSP")
  String mspId();

  /** The channels this organization belongs to. */
  @WithDefault("mychannel")
  List<String> channels();
}
