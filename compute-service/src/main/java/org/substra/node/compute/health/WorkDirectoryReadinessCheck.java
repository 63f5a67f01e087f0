package org.substra.node.compute.health;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.substra.node.compute.config.ComputeConfig;

/** Tasks stage their inputs and outputs here: without a writable directory none can run. */
@Readiness
@ApplicationScoped
public class WorkDirectoryReadinessCheck implements HealthCheck {

  private final ComputeConfig config;

  WorkDirectoryReadinessCheck(ComputeConfig config) {
    this.config = config;
  }

  @Override
  public HealthCheckResponse call() {
    Path dir = config.workDir().toAbsolutePath();
    var response =
        HealthCheckResponse.named("Work directory")
            .withData("path", dir.toString())
            .withData("executor", config.executor().name().toLowerCase());
    try {
      Files.createDirectories(dir);
      Files.deleteIfExists(Files.createTempFile(dir, ".probe", ""));
      return response.up().build();
    } catch (IOException | SecurityException e) {
      return response.down().withData("error", e.toString()).build();
    }
  }
}
