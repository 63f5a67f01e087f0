package org.substra.node.orchestrator.identity;

import io.grpc.Status;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import org.substra.node.orchestrator.config.OrchestratorConfig;

/** Who may call in which channel (spec §2.2): decided by configuration only. */
@Singleton
public class ChannelMembership {

  private final Map<String, List<String>> channels;

  ChannelMembership(OrchestratorConfig config) {
    this.channels = config.channels();
  }

  /** The reason {@code organization} may not call in {@code channel}, or null when it may. */
  Status refusal(String organization, String channel) {
    boolean known = channels.values().stream().anyMatch(members -> members.contains(organization));
    if (!known) {
      return Status.UNKNOWN.withDescription("organization \"" + organization + "\" is unknown");
    }
    if (!channels.getOrDefault(channel, List.of()).contains(organization)) {
      return Status.UNKNOWN.withDescription(
          "organization \"" + organization + "\" has not access to channel \"" + channel + "\"");
    }
    return null;
  }
}
