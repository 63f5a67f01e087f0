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
import org.substra.node.compute.executor.TaskLimits;

/**
 * The limits of a task that the kernel's process limits cannot hold (wall clock, memory of the
 * whole process tree, bytes written in all files), checked while it runs, and the sentence naming
 * the limit that ended a task, whichever enforced it.
 */
final class LimitWatch {

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

  LimitWatch(ComputeConfig config) {
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
          reason = TaskLimits.wallClockExceeded(limits.timeout());
        } else if (written() > disk) {
          reason = TaskLimits.diskExceeded(limits.disk());
        } else if (resident(process) > memory) {
          reason = TaskLimits.memoryExceeded(limits.memory());
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
        return TaskLimits.cpuTimeExceeded(cpuTime());
      }
      if (exit == SIGXFSZ) {
        return TaskLimits.fileSizeExceeded(limits.disk());
      }
      if (exit != 0 && outOfMemory()) {
        return TaskLimits.outOfMemory(limits.memory(), ADDRESS_SPACE_FACTOR);
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
          total += files.mapToLong(LimitWatch::size).sum();
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
        .mapToLong(LimitWatch::resident)
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
}
