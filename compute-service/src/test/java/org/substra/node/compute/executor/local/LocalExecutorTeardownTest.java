package org.substra.node.compute.executor.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.substra.node.compute.config.ComputeConfig;
import org.substra.node.compute.config.TestConfigs;
import org.substra.node.compute.staging.TaskWorkspace;
import org.substra.node.compute.work.PlanTeardown;

class LocalExecutorTeardownTest {

  static final String PLAN = "7e5c3a1e-0000-4000-8000-000000000004";

  @TempDir Path workDir;

  @Test
  void aProcessLeftByACrashIsKilledAndThePlanDirectoryRemoved() throws Exception {
    ComputeConfig config = TestConfigs.compute("compute.work-dir", workDir.toString());
    TaskWorkspace workspace = TaskWorkspace.of(workDir, PLAN);
    workspace.reset();
    // what a function process looks like: its arguments file on its command line
    String arguments = workspace.argumentsFile().toAbsolutePath().normalize().toString();
    Process leftover =
        new ProcessBuilder("/bin/sh", "-c", "sleep 600; exit 0", "function", "@" + arguments)
            .start();
    try {
      Files.writeString(workspace.pidFile(), String.valueOf(leftover.pid()));

      new PlanTeardown(config).tearDown(new LocalExecutor(config, null), PLAN);

      assertThat(leftover.waitFor(10, TimeUnit.SECONDS)).isTrue();
      assertThat(workDir.resolve(PLAN)).doesNotExist();
      assertThat(workDir).exists();
    } finally {
      leftover.destroyForcibly();
    }
  }

  @Test
  void aProcessOfSomethingElseIsLeftAlone() throws Exception {
    ComputeConfig config = TestConfigs.compute("compute.work-dir", workDir.toString());
    TaskWorkspace workspace = TaskWorkspace.of(workDir, PLAN);
    workspace.reset();
    // the pid was reused by an unrelated process
    Process unrelated = new ProcessBuilder("/bin/sh", "-c", "sleep 600").start();
    try {
      Files.writeString(workspace.pidFile(), String.valueOf(unrelated.pid()));

      new PlanTeardown(config).tearDown(new LocalExecutor(config, null), PLAN);

      assertThat(unrelated.isAlive()).isTrue();
      assertThat(workDir.resolve(PLAN)).doesNotExist();
    } finally {
      unrelated.destroyForcibly();
    }
  }
}
