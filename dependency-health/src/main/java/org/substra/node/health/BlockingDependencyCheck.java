package org.substra.node.health;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

/**
 * Runs a blocking client call off the event loop, bounded by {@link HealthConfig#timeout()}, and
 * turns any failure into a DOWN response that says what was unreachable and why.
 */
public abstract class BlockingDependencyCheck implements AsyncHealthCheck {

  private final HealthConfig config;

  protected BlockingDependencyCheck(HealthConfig config) {
    this.config = config;
  }

  /** The name shown in the health report. */
  protected abstract String dependency();

  /** Where the dependency is expected, shown in the report either way. */
  protected abstract String address();

  /** Talks to the dependency; throws when it cannot. Returns extra data for the report. */
  protected abstract Map<String, String> probe() throws Exception;

  @Override
  public Uni<HealthCheckResponse> call() {
    return Uni.createFrom()
        .item(this::probeUnchecked)
        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
        .ifNoItem()
        .after(config.timeout())
        .failWith(
            () ->
                new DependencyUnavailableException(
                    "no answer within " + config.timeout().toMillis() + " ms"))
        .map(
            data -> {
              HealthCheckResponseBuilder builder = base().up();
              data.forEach(builder::withData);
              return builder.build();
            })
        .onFailure()
        .recoverWithItem(failure -> base().down().withData("error", describe(failure)).build());
  }

  private HealthCheckResponseBuilder base() {
    return HealthCheckResponse.named(dependency()).withData("address", address());
  }

  private Map<String, String> probeUnchecked() {
    try {
      return probe();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new DependencyUnavailableException(e);
    }
  }

  private static String describe(Throwable failure) {
    Throwable cause = failure;
    while (cause instanceof DependencyUnavailableException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof DependencyUnavailableException) {
      return cause.getMessage();
    }
    StringBuilder text = new StringBuilder(summary(cause));
    // Client libraries wrap the useful reason ("Connection refused") a few levels down.
    Throwable root = cause;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    if (root != cause) {
      text.append(" (").append(summary(root)).append(')');
    }
    return text.toString();
  }

  private static String summary(Throwable throwable) {
    String message = throwable.getMessage();
    return message == null || message.isBlank()
        ? throwable.getClass().getSimpleName()
        : throwable.getClass().getSimpleName() + ": " + message;
  }

  /** A probe failure that carries the client's own exception as its cause. */
  static final class DependencyUnavailableException extends RuntimeException {
    DependencyUnavailableException(String message) {
      super(message);
    }

    DependencyUnavailableException(Throwable cause) {
      super(cause);
    }
  }
}
