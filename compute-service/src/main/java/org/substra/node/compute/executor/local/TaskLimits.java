package org.substra.node.compute.executor.local;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.substra.node.compute.config.ComputeConfig;

/**
 * The limits of a task that the kernel's process limits cannot hold (wall clock, memory of the
 * whole process tree, bytes written in all files), checked while it runs, and the sentence naming
 * the limit that ended a task, whichever enforced it.
 */
final class TaskLimits {

  /** Exit status of a sandbox whose process died of a signal: 128 + the signal. */
  private static final int SIGXCPU = 128 + 24;

  private static final int SIGXFSZ = 128 + 25;
  private static final long PAGE = 4096;

  /** How the usual runtimes say an allocation failed (Python, glibc, C++, Java, Go). */
  private static final List<String> OUT_OF_MEMORY =
      List.of(
          "MemoryError",
          "Cannot allocate memory",
          "std::bad_alloc",
          "OutOfMemoryError",
          "out of memory");

  private final ComputeConfig.Limits limits;
  private final Duration interval;

  TaskLimits(ComputeConfig config) {
    this.limits = config.limits();
    this.interval = config.local().sandbox().checkInterval();
  }

  Watch watch(List<Path> writable, Path logs) {
    return new Watch(writable, logs);
  }

  /** One task's watch: from its start to its end. */
  final class Watch {

    private final List<Path> writable;
    private final Path logs;
    private volatile String reached;

    private Watch(List<Path> writable, Path logs) {
      this.writable = writable;
      this.logs = logs;
    }

    /** Waits for the process to end, killing it (and all it started) when it passes a limit. */
    int await(Process process) throws InterruptedException {
      long deadline = System.nanoTime() + limits.timeout().toNanos();
      long memory = bytes(limits.memory());
      long disk = bytes(limits.disk());
      while (!process.waitFor(interval.toMillis(), TimeUnit.MILLISECONDS)) {
        String reason = null;
        if (System.nanoTime() - deadline > 0) {
          reason =
              "The task ran longer than its wall-clock time limit of "
                  + format(limits.timeout())
                  + " (compute.limits.timeout) and was killed.";
        } else if (written() > disk) {
          reason =
              "The task wrote more than its disk limit of "
                  + limits.disk()
                  + " (compute.limits.disk) and was killed.";
        } else if (resident(process) > memory) {
          reason =
              "The task's processes used more than their memory limit of "
                  + limits.memory()
                  + " (compute.limits.memory) and were killed.";
        }
        if (reason != null) {
          reached = reason;
          process.descendants().forEach(ProcessHandle::destroyForcibly);
          process.destroyForcibly();
          process.waitFor();
        }
      }
      return process.exitValue();
    }

    /** The sentence naming the limit that ended a task that exited with {@code exit}, or null. */
    String limitReached(int exit) {
      if (reached != null) {
        return reached;
      }
      if (exit == SIGXCPU) {
        return "The task used up its CPU time limit of "
            + format(cpuTime())
            + " (compute.limits.cpu cores for compute.limits.timeout) and was killed.";
      }
      if (exit == SIGXFSZ) {
        return "A file the task wrote reached its disk limit of "
            + limits.disk()
            + " (compute.limits.disk) and the task was killed.";
      }
      if (exit != 0 && outOfMemory()) {
        return "The function ran out of memory: the task may use "
            + limits.memory()
            + " (compute.limits.memory), a process at most "
            + ADDRESS_SPACE_FACTOR
            + " times that of address space.";
      }
      return null;
    }

    private boolean outOfMemory() {
      try (RandomAccessFile file = new RandomAccessFile(logs.toFile(), "r")) {
        long from = Math.max(0, file.length() - 16384);
        byte[] tail = new byte[(int) (file.length() - from)];
        file.seek(from);
        file.readFully(tail);
        String text = new String(tail, StandardCharsets.UTF_8);
        return OUT_OF_MEMORY.stream().anyMatch(text::contains);
      } catch (IOException e) {
        return false;
      }
    }

    /** Bytes in the task's writable folders and its log. */
    private long written() {
      long total = size(logs);
      for (Path folder : writable) {
        try (Stream<Path> files = Files.walk(folder)) {
          total += files.mapToLong(TaskLimits::size).sum();
        } catch (IOException | java.io.UncheckedIOException e) {
          // a file removed while walking: the next check counts again
        }
      }
      return total;
    }
  }

  private Duration cpuTime() {
    long cores =
        Math.max(
            1,
            limits
                .cpu()
                .getNumericalAmount()
                .setScale(0, java.math.RoundingMode.CEILING)
                .longValue());
    return limits.timeout().multipliedBy(cores);
  }

  /**
   * Address space of one process per byte of the memory limit. Virtual reservations (thread stacks,
   * malloc arenas, BLAS buffers, memory-mapped libraries) are several times what a process really
   * uses; the resident memory of the whole tree is what the watch holds to the limit, and this is
   * only the backstop against a single allocation far past it, faster than the watch.
   */
  static final int ADDRESS_SPACE_FACTOR = 4;

  /** The kernel's limits of every process of a task running as host uid {@code uid}. */
  SandboxCommand.ProcessLimits processLimits(int uid) {
    return new SandboxCommand.ProcessLimits(
        uid,
        bytes(limits.memory()) * ADDRESS_SPACE_FACTOR,
        Math.max(1, cpuTime().toSeconds()),
        limits.processes(),
        bytes(limits.disk()));
  }

  private static long size(Path file) {
    try {
      BasicFileAttributes attributes =
          Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      return attributes.isRegularFile() ? attributes.size() : 0;
    } catch (IOException e) {
      return 0;
    }
  }

  /** Resident bytes of the process and all its descendants. */
  private static long resident(Process process) {
    return Stream.concat(Stream.of(process.toHandle()), process.descendants())
        .mapToLong(TaskLimits::resident)
        .sum();
  }

  private static long resident(ProcessHandle handle) {
    try {
      String[] statm = Files.readString(Path.of("/proc", handle.pid() + "", "statm")).split(" ");
      return Long.parseLong(statm[1]) * PAGE;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  static long bytes(io.fabric8.kubernetes.api.model.Quantity quantity) {
    return quantity.getNumericalAmount().longValue();
  }

  static String format(Duration duration) {
    long seconds = duration.toSeconds();
    if (seconds % 3600 == 0) {
      return seconds / 3600 + "h";
    }
    if (seconds % 60 == 0) {
      return seconds / 60 + "min";
    }
    return seconds + "s";
  }
}
