package org.substra.node.event.consumption;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** What readiness reports about consumption: gaps being repaired, and the last failure. */
@ApplicationScoped
public class ConsumptionState {

  private final Map<String, Long> gaps = new ConcurrentHashMap<>();
  private volatile String failure;

  void gapDetected(String channel, long upTo) {
    gaps.put(channel, upTo);
  }

  void gapRepaired(String channel) {
    gaps.remove(channel);
  }

  void failing(String reason) {
    failure = reason;
  }

  void healthy() {
    failure = null;
  }

  /** Channel → the position that a gap repair is catching up to. */
  public Map<String, Long> gaps() {
    return Map.copyOf(gaps);
  }

  /** Why projection is stuck (database or orchestrator unreachable), or null. */
  public String failure() {
    return failure;
  }
}
