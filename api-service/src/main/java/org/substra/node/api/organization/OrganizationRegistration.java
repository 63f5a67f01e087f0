package org.substra.node.api.organization;

import io.grpc.Status;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;
import org.substra.node.api.config.ApiConfig;
import org.substra.node.api.orchestrator.Orchestrator;

/**
 * Registers this organization in each of its channels, with its public address, as the reference's
 * backend does at start (orchestrator-spec §3.3): retried every second until the orchestrator
 * answers, a registration that already exists counting as done.
 */
@ApplicationScoped
public class OrganizationRegistration {

  private static final Logger LOG = Logger.getLogger(OrganizationRegistration.class);

  private final Orchestrator orchestrator;
  private final ApiConfig config;
  private final List<Cancellable> pending = new ArrayList<>();

  OrganizationRegistration(Orchestrator orchestrator, ApiConfig config) {
    this.orchestrator = orchestrator;
    this.config = config;
  }

  void register(@Observes StartupEvent started) {
    for (String channel : config.channels().keySet()) {
      pending.add(
          registerIn(channel)
              .subscribe()
              .with(
                  outcome ->
                      LOG.infof(
                          "organization %s %s in channel %s",
                          config.organizationId(), outcome, channel),
                  failure -> LOG.errorf("organization registration stopped: %s", failure)));
    }
  }

  private Uni<String> registerIn(String channel) {
    return orchestrator
        .registerOrganization(channel, config.host())
        .replaceWith("registered")
        .onFailure(Orchestrator.Refusal.class)
        .recoverWithUni(
            refusal -> {
              if (((Orchestrator.Refusal) refusal).code() == Status.Code.ALREADY_EXISTS) {
                return Uni.createFrom().item("already registered");
              }
              return Uni.createFrom().failure(refusal);
            })
        .onFailure()
        .invoke(failure -> LOG.debugf("registration in %s: %s, retrying", channel, failure))
        .onFailure()
        .retry()
        .withBackOff(Duration.ofSeconds(1), Duration.ofSeconds(1))
        .indefinitely();
  }

  @PreDestroy
  void stop() {
    pending.forEach(Cancellable::cancel);
  }
}
