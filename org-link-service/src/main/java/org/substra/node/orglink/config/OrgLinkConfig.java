package org.substra.node.orglink.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;

/** Settings of org-link-service. */
@ConfigMapping(prefix = "org-link")
public interface OrgLinkConfig {

  /** This organization's id in the network (Substra's MSP ID). */
  @WithDefault("MyOrg1MSP")
  String mspId();

  /** The channels this organization belongs to. */
  @WithDefault("mychannel")
  List<String> channels();
}
