package org.substra.node.orchestrator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;
import java.util.Map;

/** Settings of the standalone orchestrator. */
@ConfigMapping(prefix = "orchestrator")
public interface OrchestratorConfig {

  /** The version reported by {@code InfoService/QueryVersion}. */
  @WithDefault("1.0.0")
  String version();

  /**
   * Channel membership: channel name → the organization ids (MSP IDs) allowed to call in it, as in
   * the reference's channel file ({@code orchestrator.channels.mychannel=MyOrg1MSP,MyOrg2MSP}).
   */
  Map<String, List<String>> channels();
}
