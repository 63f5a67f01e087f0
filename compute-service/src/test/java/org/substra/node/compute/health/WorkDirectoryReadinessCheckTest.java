package org.substra.node.compute.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.substra.node.compute.config.ComputeConfig;
import org.substra.node.compute.config.TestConfigs;

class WorkDirectoryReadinessCheckTest {

  @TempDir Path temp;

  @Test
  void upAndCreatedWhenTheDirectoryCanBeWritten() {
    Path dir = temp.resolve("work/nested");

    HealthCheckResponse response = new WorkDirectoryReadinessCheck(config(dir)).call();

    assertEquals(HealthCheckResponse.Status.UP, response.getStatus());
    assertTrue(Files.isDirectory(dir));
  }

  @Test
  void downWhenThePathIsNotADirectory() throws IOException {
    Path file = Files.writeString(temp.resolve("a-file"), "not a directory");

    HealthCheckResponse response = new WorkDirectoryReadinessCheck(config(file)).call();

    assertEquals(HealthCheckResponse.Status.DOWN, response.getStatus());
    assertTrue(response.getData().orElseThrow().get("error").toString().contains("a-file"));
  }

  private static ComputeConfig config(Path dir) {
    return TestConfigs.compute("compute.executor", "local", "compute.work-dir", dir.toString());
  }
}
