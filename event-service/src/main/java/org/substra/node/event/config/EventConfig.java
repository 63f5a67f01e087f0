package org.substra.node.event.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;

/** Settings of event-service. */
@ConfigMapping(prefix = "events")
public interface EventConfig {

  /** This organization's id in the network (Substra's MSP ID). */
  @WithDefault("MyOrg1MSP")
  String mspId();

  /** The channels this organization belongs to. */
  @WithDefault("mychannel")
  List<String> channels();
}
