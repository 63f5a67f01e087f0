package org.substra.node.event.health;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;
import org.substra.node.event.consumption.ConsumptionState;

/**
 * DOWN while the read model is known to be behind (a gap is being repaired from the orchestrator)
 * or while projection is stuck on a failing database or orchestrator: api-service would serve stale
 * data, and Kubernetes should know.
 */
@Readiness
@ApplicationScoped
public class ConsumptionReadinessCheck implements HealthCheck {

  static final String NAME = "Event consumption";

  private final ConsumptionState state;

  ConsumptionReadinessCheck(ConsumptionState state) {
    this.state = state;
  }

  @Override
  public HealthCheckResponse call() {
    Map<String, Long> gaps = state.gaps();
    String failure = state.failure();
    HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME);
    gaps.forEach((channel, upTo) -> response.withData("gap." + channel, "repairing up to " + upTo));
    if (failure != null) {
      response.withData("error", failure);
    }
    return response.status(gaps.isEmpty() && failure == null).build();
  }
}
