package org.substra.node.compute.executor;

import io.fabric8.kubernetes.api.model.Quantity;
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

  /** The task's processes together held more than {@code limit} of memory and were killed. */
  public static String memoryExceeded(Quantity limit) {
    return "the task's processes used more than its memory limit of "
        + limit
        + " (compute.limits.memory) and were killed";
  }

  /**
   * An allocation failed in the function: each of its processes may reserve {@code factor} times
   * the memory limit of address space.
   */
  public static String outOfMemory(Quantity limit, int factor) {
    return "the function ran out of memory: the task may use "
        + limit
        + " (compute.limits.memory), each process at most "
        + factor
        + " times that of address space";
  }

  /** The task's files and logs together grew past {@code limit}. */
  public static String diskExceeded(Quantity limit) {
    return "the task wrote more than its disk limit of "
        + limit
        + " (compute.limits.disk) and was killed";
  }

  /** One file of the task reached {@code limit}. */
  public static String fileSizeExceeded(Quantity limit) {
    return "a file the task wrote reached its disk limit of "
        + limit
        + " (compute.limits.disk) and the task was killed";
  }

  /** A process of the task used {@code limit} of CPU time. */
  public static String cpuTimeExceeded(Duration limit) {
    return "the task used up its CPU time limit of "
        + format(limit)
        + " (compute.limits.cpu cores for compute.limits.timeout) and was killed";
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
