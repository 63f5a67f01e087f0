package org.substra.node.api.registration;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.function.Supplier;
import org.substra.node.api.config.ApiConfig;
import org.substra.node.api.error.ApiException;

/**
 * Read-your-writes (REST spec §7.5): a creation answers once the read model, which event-service
 * fills from the orchestrator's events, shows the new asset, so a GET right after sees it.
 */
@ApplicationScoped
public class Visibility {

  private static final Duration POLL = Duration.ofMillis(10);

  private final Duration timeout;

  Visibility(ApiConfig config) {
    this.timeout = config.uploads().visibilityTimeout();
  }

  /** The first non-null answer of {@code read}, asked again until the timeout. */
  public <T> T await(Supplier<Uni<T>> read, String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      T found = read.get().await().atMost(timeout);
      if (found != null) {
        return found;
      }
      if (System.nanoTime() > deadline) {
        throw ApiException.detail(
            504,
            what
                + " was registered but the node's read model has not shown it yet; retry the"
                + " read in a moment.");
      }
      try {
        Thread.sleep(POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw ApiException.detail(503, "Interrupted while waiting for " + what);
      }
    }
  }
}
