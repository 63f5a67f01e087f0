package org.substra.node.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code ./node} keeps service logs across restarts and rotates them by size: its {@code open_log}
 * run for real by bash ({@code node-logs-test.sh} sources the script, which then starts nothing).
 */
class NodeLogsTest {

  @Test
  void logsAreAppendedAcrossRestartsAndRotatedBySize() throws Exception {
    Path root = Path.of("..").toAbsolutePath().normalize();
    Path script = Path.of("src/test/resources/node-logs-test.sh").toAbsolutePath();
    ProcessBuilder builder =
        new ProcessBuilder("bash", script.toString()).redirectErrorStream(true);
    builder.environment().put("NODE_ROOT", root.toString());
    Process process = builder.start();
    process.getOutputStream().close();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.exitValue()).as(output).isZero();
    assertThat(output).contains("node logs: ok");
  }
}
