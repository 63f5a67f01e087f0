package org.substra.node.orglink.probes;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The outgoing organizations as last probed, refreshed every {@code org-link.probes.interval};
 * exposed as the gauge {@code org_link_peer_up{organization}} (1 when the peer answered 2xx) and in
 * the health details. A peer being down never makes this node unready.
 */
@ApplicationScoped
public class PeerStates {

  private static final Logger LOG = Logger.getLogger(PeerStates.class);
  static final String GAUGE = "org_link_peer_up";

  private final OutgoingOrganizationProbe probe;
  private final MeterRegistry registry;
  private final Map<String, PeerState> states = new ConcurrentHashMap<>();
  private final Map<String, Meter.Id> gauges = new ConcurrentHashMap<>();

  PeerStates(OutgoingOrganizationProbe probe, MeterRegistry registry) {
    this.probe = probe;
    this.registry = registry;
  }

  @Scheduled(
      every = "${org-link.probes.interval:60s}",
      delayed = "5s",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void scheduled() {
    try {
      refresh();
    } catch (Exception e) {
      LOG.warn("probing the outgoing organizations failed: " + e);
    }
  }

  /** Probes every outgoing organization now and records the result. */
  public List<PeerState> refresh() throws Exception {
    List<PeerState> fresh = probe.probeAll();
    for (PeerState state : fresh) {
      PeerState previous = states.put(state.organizationId(), state);
      if (previous == null || previous.reachable() != state.reachable()) {
        LOG.infof(
            "outgoing organization %s (%s): %s",
            state.organizationId(), state.address(), state.httpStatus());
      }
      gauges.computeIfAbsent(
          state.organizationId(),
          id ->
              Gauge.builder(GAUGE, states, all -> up(all.get(id)))
                  .tag("organization", id)
                  .description("1 when the outgoing organization answered its last probe with 2xx")
                  .register(registry)
                  .getId());
    }
    List<String> gone = new ArrayList<>(states.keySet());
    fresh.forEach(state -> gone.remove(state.organizationId()));
    for (String id : gone) {
      states.remove(id);
      Meter.Id gauge = gauges.remove(id);
      if (gauge != null) {
        registry.remove(gauge);
      }
    }
    return fresh;
  }

  public List<PeerState> last() {
    return states.values().stream()
        .sorted((a, b) -> a.organizationId().compareTo(b.organizationId()))
        .toList();
  }

  private static double up(PeerState state) {
    return state != null && state.reachable() ? 1 : 0;
  }
}
