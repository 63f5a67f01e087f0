package org.substra.node.compute.executor.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import org.substra.node.compute.config.ComputeConfig;
import org.substra.node.compute.executor.local.SandboxCommand.Mount;
import org.substra.node.compute.executor.local.SandboxCommand.ProcessLimits;
import org.substra.node.compute.executor.local.SandboxCommand.SystemPath;

/**
 * The bubblewrap sandbox of this machine, as found when the service starts: the interpreter and
 * system paths functions see, whether this service is root, and whether a sandbox starts at all (if
 * not, {@link #unavailable()} says why and the executor fails closed).
 */
public final class Sandbox {

  private static final Logger LOG = Logger.getLogger(Sandbox.class);

  private final ComputeConfig config;
  private final boolean root;
  private final List<SystemPath> system;
  private final Path python;
  private final List<Path> pythonPath;
  private final Path etc;
  private final Optional<String> unavailable;

  private Sandbox(ComputeConfig config, Path etc, LimitWatch limits) {
    this.config = config;
    this.root = uid() == 0;
    this.etc = etc;
    List<String> found = interpreter(config);
    this.python = found.isEmpty() ? null : Path.of(found.get(0));
    // what the interpreter imports from when run by this service: its installation, a virtual
    // environment, the user site, .pth and PYTHONPATH folders (substratools, say)
    this.pythonPath =
        found.stream()
            .skip(1)
            .filter(p -> !p.isBlank())
            .map(Path::of)
            .filter(Path::isAbsolute)
            .toList();
    this.system = systemPaths(config, python, pythonPath);
    this.unavailable = probe(limits);
  }

  /**
   * Finds the sandbox of this machine; {@code state} is a folder of the service's where the
   * sandbox's own /etc/passwd is written.
   */
  static Sandbox detect(ComputeConfig config, Path state, LimitWatch limits) throws IOException {
    Path etc = state.resolve("sandbox-etc");
    Files.createDirectories(etc);
    int id = SandboxCommand.INSIDE_ID;
    // some libraries look their user up (getpwuid); the sandbox has no other
    Files.writeString(
        etc.resolve("passwd"),
        "substra:x:"
            + id
            + ":"
            + id
            + ":substra:/tmp:/usr/sbin/nologin\n"
            + "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n");
    Files.writeString(etc.resolve("group"), "substra:x:" + id + ":\nnogroup:x:65534:\n");
    Files.writeString(etc.resolve("hosts"), "127.0.0.1 localhost\n");
    return new Sandbox(config, etc, limits);
  }

  /** Why no sandbox can start here, or empty when one can. */
  public Optional<String> unavailable() {
    return unavailable;
  }

  /** Whether this service runs as root (functions then run as another, unprivileged uid). */
  public boolean root() {
    return root;
  }

  /** The interpreter functions run with, as seen inside the sandbox (the same path). */
  public Path python() {
    return python;
  }

  /** The host uid of the functions of slot {@code slot}, when this service is root. */
  public int uid(int slot) {
    return config.local().sandbox().uid() + slot;
  }

  /**
   * Gives a writable folder of a task to the host uid of its slot: the function's own, when this
   * service is root (otherwise the function runs as this service's user, who owns it already).
   */
  public void handOver(Path folder, int slot) throws IOException {
    if (root) {
      Files.setAttribute(folder, "unix:uid", uid(slot));
      Files.setAttribute(folder, "unix:gid", uid(slot));
    }
  }

  /**
   * Ends what is left of a finished task in slot {@code slot}: its sandbox's PID namespace is torn
   * down by the kernel when its first process dies, but not before we return; a slot is handed to
   * the next task only once its host uid runs nothing (when this service is root; otherwise the
   * namespace teardown is all there is).
   */
  public void reap(int slot) throws InterruptedException {
    if (!root) {
      return;
    }
    String uid = "\nUid:\t" + uid(slot) + "\t";
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      List<ProcessHandle> left = new ArrayList<>();
      try (var all = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
        for (Path process : all) {
          try {
            if (Files.readString(process.resolve("status")).contains(uid)) {
              ProcessHandle.of(Long.parseLong(process.getFileName().toString()))
                  .ifPresent(left::add);
            }
          } catch (IOException | RuntimeException gone) {
            // ended while we looked
          }
        }
      } catch (IOException e) {
        LOG.warnf("cannot list processes: %s", e.getMessage());
        return;
      }
      if (left.isEmpty()) {
        return;
      }
      if (System.nanoTime() - deadline > 0) {
        LOG.warnf("slot %d: %d processes of uid %d do not end", slot, left.size(), uid(slot));
        return;
      }
      left.forEach(ProcessHandle::destroyForcibly);
      Thread.sleep(5);
    }
  }

  /** The command of a task whose function process sees {@code mounts}, within {@code limits}. */
  public SandboxCommand command(List<Mount> mounts, String workingDirectory, ProcessLimits limits) {
    List<Mount> all = new ArrayList<>(mounts);
    for (String file : List.of("passwd", "group", "hosts")) {
      all.add(new Mount(etc.resolve(file), "/etc/" + file, false));
    }
    return new SandboxCommand(
        config.local().sandbox().bwrap(), root, system, all, workingDirectory, limits);
  }

  private Optional<String> probe(LimitWatch limits) {
    if (!config.local().sandbox().enabled()) {
      return Optional.of("the sandbox is turned off (compute.local.sandbox.enabled=false)");
    }
    Path scratch = null;
    try {
      scratch = Files.createTempDirectory("sandbox-probe");
      handOver(scratch, 0);
      List<String> argv =
          python != null ? List.of(python.toString(), "-c", "print('ok')") : List.of("true");
      Process process =
          new ProcessBuilder(
                  command(
                          List.of(new Mount(scratch, "/tmp", true)),
                          "/tmp",
                          limits.processLimits(uid(0)))
                      .command(argv))
              .redirectErrorStream(true)
              .start();
      process.getOutputStream().close();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return Optional.of("a trial sandbox did not end in 30 s");
      }
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (process.exitValue() != 0) {
        return Optional.of(
            "a trial sandbox failed (exit "
                + process.exitValue()
                + "): "
                + output.strip()
                + " (is bubblewrap installed, and are user namespaces allowed?)");
      }
      return Optional.empty();
    } catch (IOException e) {
      return Optional.of(
          "bubblewrap cannot be started (" + e.getMessage() + "): install the bubblewrap package");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of("interrupted while trying the sandbox");
    } finally {
      if (scratch != null) {
        try {
          Files.deleteIfExists(scratch);
        } catch (IOException e) {
          LOG.debugf("probe folder %s not removed: %s", scratch, e);
        }
      }
    }
  }

  /**
   * The real path of the configured Python, asked of the interpreter itself (a pyenv shim or a
   * virtual environment resolves to its installation), then its prefix and the folders of its
   * {@code sys.path} that exist; empty when there is no such interpreter.
   */
  private static List<String> interpreter(ComputeConfig config) {
    try {
      ProcessBuilder builder =
          new ProcessBuilder(
                  config.local().python(),
                  "-c",
                  "import os,sys; print(os.path.realpath(sys.executable)); print(sys.prefix);"
                      + " [print(p) for p in sys.path if p and os.path.isdir(p)]")
              .redirectErrorStream(true);
      String pythonPath = config.local().env().get("PYTHONPATH");
      if (pythonPath != null) {
        builder.environment().put("PYTHONPATH", pythonPath);
      }
      Process process = builder.start();
      process.getOutputStream().close();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return List.of();
      }
      String output =
          new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      List<String> lines = output.lines().toList();
      if (process.exitValue() != 0 || lines.size() < 2 || !lines.get(0).startsWith("/")) {
        LOG.warnf("no Python for functions (%s): %s", config.local().python(), output);
        return List.of();
      }
      return lines;
    } catch (IOException e) {
      LOG.warnf("no Python for functions (%s): %s", config.local().python(), e.getMessage());
      return List.of();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return List.of();
    }
  }

  /**
   * The folders the sandboxed Python must import from that it would not find by itself (its HOME is
   * not this service's, so no user site; no .pth outside its installation): they go in its
   * PYTHONPATH. Empty without an interpreter.
   */
  public List<Path> pythonPath() {
    if (python == null || pythonPath.isEmpty()) {
      return List.of();
    }
    Path prefix = pythonPath.get(0);
    Path installation = python.getParent().getParent();
    return pythonPath.stream()
        .skip(1)
        .filter(p -> !p.startsWith(prefix) && !p.startsWith(installation))
        .toList();
  }

  private static List<SystemPath> systemPaths(
      ComputeConfig config, Path python, List<Path> pythonPath) {
    Set<Path> paths = new LinkedHashSet<>(config.local().sandbox().systemPaths());
    List<Path> extra = new ArrayList<>(config.local().sandbox().readOnlyPaths().orElse(List.of()));
    if (python != null && python.getParent() != null && python.getParent().getParent() != null) {
      // <prefix>/bin/python3.x: the installation with its standard library and site-packages
      extra.add(python.getParent().getParent());
      extra.addAll(pythonPath);
    }
    Path work = config.workDir().toAbsolutePath().normalize();
    for (Path path : extra) {
      Path absolute = path.toAbsolutePath().normalize();
      if (work.startsWith(absolute)) {
        // the node's own state is below it: never shown, whatever asked for it
        LOG.warnf("%s is not shown to functions: it holds %s", absolute, work);
      } else if (paths.stream().noneMatch(absolute::startsWith)) {
        paths.add(absolute);
      }
    }
    List<SystemPath> system = new ArrayList<>();
    for (Path path : paths) {
      if (Files.isSymbolicLink(path)) {
        try {
          system.add(SystemPath.link(path, Files.readSymbolicLink(path).toString()));
        } catch (IOException e) {
          LOG.debugf("system path %s skipped: %s", path, e);
        }
      } else if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
        system.add(SystemPath.bound(path));
      }
    }
    return system;
  }

  private static int uid() {
    try {
      return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    } catch (IOException | UnsupportedOperationException e) {
      return -1;
    }
  }
}
