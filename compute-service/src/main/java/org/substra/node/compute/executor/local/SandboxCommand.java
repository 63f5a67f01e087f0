package org.substra.node.compute.executor.local;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The command line that runs one function process in a bubblewrap sandbox: a pure function of the
 * settings and the task's mounts, so that what a function can see is asserted on the command
 * itself.
 *
 * <p>The function gets its own user, PID, mount, IPC, UTS, cgroup and network namespaces (a network
 * namespace of its own has only its own loopback: nothing of the host is reachable), a read-only
 * minimal system, and only the mounts given. When this service is root, an outer bubblewrap, still
 * root, builds the mounts (so that folders only root can traverse, like a Python under /root, can
 * be shown), then drops to an unprivileged host uid with no capability and no way to regain one
 * ({@code setpriv --no-new-privs}), and an inner unprivileged bubblewrap adds the user namespace.
 * Otherwise one unprivileged bubblewrap does it all with the service's own uid.
 */
public record SandboxCommand(
    String bwrap,
    boolean root,
    List<SystemPath> system,
    List<Mount> mounts,
    String workingDirectory,
    ProcessLimits limits) {

  /** The uid and gid a function sees inside its user namespace (the sandbox's /etc/passwd). */
  public static final int INSIDE_ID = 1000;

  /** A path of the minimal system: bound read-only, or recreated as the link it is on the host. */
  public record SystemPath(Path path, String linkTarget) {

    static SystemPath bound(Path path) {
      return new SystemPath(path, null);
    }

    static SystemPath link(Path path, String target) {
      return new SystemPath(path, target);
    }
  }

  /**
   * A host file or folder shown at {@code target} inside the sandbox; the source is kept absolute
   * (the command line names it: a process left by a crash is recognised by it).
   */
  public record Mount(Path source, String target, boolean writable) {
    public Mount {
      source = source.toAbsolutePath().normalize();
    }
  }

  /**
   * Kernel limits of every process of the task, set before the sandbox starts so that nothing in it
   * can raise them.
   *
   * @param uid host uid the function runs as, when this service is root
   */
  public record ProcessLimits(
      int uid, long addressSpaceBytes, long cpuSeconds, int processes, long fileBytes) {}

  /** The command: {@code argv} run in the sandbox. */
  public List<String> command(List<String> argv) {
    List<String> command = new ArrayList<>();
    if (root) {
      command.add(bwrap);
      command.addAll(
          List.of(
              "--unshare-pid",
              "--unshare-ipc",
              "--unshare-net",
              "--unshare-uts",
              "--unshare-cgroup-try",
              "--die-with-parent",
              "--new-session",
              // only what setpriv needs to drop to the task's uid; it drops them for good
              "--cap-add",
              "CAP_SETUID",
              "--cap-add",
              "CAP_SETGID"));
      filesystem(command);
      command.add("--");
      command.addAll(
          List.of(
              "setpriv",
              "--reuid=" + limits.uid(),
              "--regid=" + limits.uid(),
              "--clear-groups",
              "--inh-caps=-all",
              "--bounding-set=-all",
              "--no-new-privs",
              "--"));
      unprivileged(command);
      command.addAll(List.of("--bind", "/", "/", "--chdir", workingDirectory, "--"));
    } else {
      unprivileged(command);
      command.addAll(List.of("--unshare-all", "--new-session"));
      filesystem(command);
      command.add("--");
    }
    command.addAll(argv);
    return command;
  }

  /**
   * The kernel's limits, then an unprivileged bubblewrap with the task's own user namespace, in
   * which no further one can be made.
   */
  private void unprivileged(List<String> command) {
    prlimit(command);
    command.add(bwrap);
    command.addAll(
        List.of(
            "--unshare-user",
            "--disable-userns",
            "--uid",
            String.valueOf(INSIDE_ID),
            "--gid",
            String.valueOf(INSIDE_ID),
            "--die-with-parent"));
  }

  private void prlimit(List<String> command) {
    command.addAll(
        List.of(
            "prlimit",
            "--as=" + limits.addressSpaceBytes(),
            // the soft limit sends SIGXCPU (the limit is then named), the hard one kills
            "--cpu=" + limits.cpuSeconds() + ":" + (limits.cpuSeconds() + 5),
            "--nproc=" + limits.processes(),
            "--fsize=" + limits.fileBytes(),
            "--core=0",
            "--"));
  }

  private void filesystem(List<String> command) {
    // parents bubblewrap would create itself are root-only (0700): the unprivileged side could not
    // reach what is below them
    Set<String> created = new LinkedHashSet<>();
    for (SystemPath path : system) {
      directories(command, created, path.path().toString());
      if (path.linkTarget() != null) {
        command.addAll(List.of("--symlink", path.linkTarget(), path.path().toString()));
      } else {
        command.addAll(List.of("--ro-bind", path.path().toString(), path.path().toString()));
      }
    }
    command.addAll(List.of("--proc", "/proc", "--dev", "/dev"));
    for (Mount mount : mounts) {
      directories(command, created, mount.target());
      command.addAll(
          List.of(
              mount.writable() ? "--bind" : "--ro-bind",
              mount.source().toString(),
              mount.target()));
    }
    command.addAll(List.of("--chdir", workingDirectory));
  }

  private void directories(List<String> command, Set<String> created, String target) {
    for (String parent : parents(target)) {
      if (!underSystem(parent) && created.add(parent)) {
        command.addAll(List.of("--perms", "0755", "--dir", parent));
      }
    }
  }

  private boolean underSystem(String path) {
    Path candidate = Path.of(path);
    return system.stream().anyMatch(s -> candidate.startsWith(s.path()));
  }

  private static List<String> parents(String target) {
    List<String> parents = new ArrayList<>();
    for (Path parent = Path.of(target).getParent();
        parent != null && parent.getNameCount() > 0;
        parent = parent.getParent()) {
      parents.add(0, parent.toString());
    }
    return parents;
  }
}
