package org.substra.node.compute.executor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TaskLimitsTest {

  @Test
  void aTaskPastItsTimeIsToldWhichLimitAndSettingStoppedIt() {
    assertThat(TaskLimits.wallClockExceeded(Duration.ofHours(24)))
        .isEqualTo("the task exceeded its wall-clock time limit of 24h (compute.limits.timeout)");
  }

  @Test
  void durationsReadAsOperatorsWriteThem() {
    assertThat(TaskLimits.format(Duration.ofDays(2))).isEqualTo("48h");
    assertThat(TaskLimits.format(Duration.ofMinutes(90))).isEqualTo("1h30m");
    assertThat(TaskLimits.format(Duration.ofSeconds(90))).isEqualTo("1m30s");
    assertThat(TaskLimits.format(Duration.ofMillis(1500))).isEqualTo("1s500ms");
    assertThat(TaskLimits.format(Duration.ZERO)).isEqualTo("0s");
  }
}
