package org.substra.node.compute.executor;

import java.time.Duration;

/**
 * How a task that ran past one of its limits ({@code compute.limits.*}) is told so: the same words
 * on either executor, naming the limit and the setting that gives it.
 */
public final class TaskLimits {

  private TaskLimits() {}

  /** The task was stopped after running {@code limit}, its wall-clock time limit. */
  public static String wallClockExceeded(Duration limit) {
    return "the task exceeded its wall-clock time limit of "
        + format(limit)
        + " (compute.limits.timeout)";
  }

  /**
   * A duration as an operator writes it: {@code 24h}, {@code 1h30m}, {@code 90s}, {@code 1s500ms}.
   */
  static String format(Duration duration) {
    if (duration.isZero()) {
      return "0s";
    }
    StringBuilder text = new StringBuilder();
    append(text, duration.toDays() * 24 + duration.toHoursPart(), "h");
    append(text, duration.toMinutesPart(), "m");
    append(text, duration.toSecondsPart(), "s");
    append(text, duration.toMillisPart(), "ms");
    return text.toString();
  }

  private static void append(StringBuilder text, long amount, String unit) {
    if (amount != 0) {
      text.append(amount).append(unit);
    }
  }
}
