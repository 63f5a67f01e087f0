package org.substra.node.compute.executor.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.substra.node.compute.executor.local.SandboxCommand.Mount;
import org.substra.node.compute.executor.local.SandboxCommand.ProcessLimits;
import org.substra.node.compute.executor.local.SandboxCommand.SystemPath;

class SandboxCommandTest {

  static final List<SystemPath> SYSTEM =
      List.of(
          SystemPath.bound(Path.of("/usr")),
          SystemPath.link(Path.of("/lib"), "usr/lib"),
          SystemPath.bound(Path.of("/etc/ld.so.cache")));
  static final List<Mount> MOUNTS =
      List.of(
          new Mount(Path.of("/node/work/functions/f/source"), "/function", false),
          new Mount(Path.of("/node/work/p/task/data_samples"), "/task/data_samples", false),
          new Mount(Path.of("/node/work/p/task/out_models"), "/task/out_models", true));
  static final ProcessLimits LIMITS = new ProcessLimits(100003, 1 << 30, 60, 64, 1 << 20);

  static List<String> command(boolean root) {
    return new SandboxCommand("bwrap", root, SYSTEM, MOUNTS, "/function", LIMITS)
        .command(List.of("/usr/bin/python3", "function.py"));
  }

  @Test
  void asRootTheMountsAreMadeAsRootThenTheFunctionDropsToItsUidForGood() {
    List<String> command = command(true);

    int setpriv = command.indexOf("setpriv");
    List<String> outer = command.subList(0, setpriv);
    assertThat(outer)
        .startsWith("bwrap")
        .contains(
            "--unshare-pid", "--unshare-ipc", "--unshare-net", "--unshare-uts", "--die-with-parent")
        .doesNotContain("--unshare-user", "--share-net");
    assertThat(command.subList(setpriv, command.size()))
        .contains(
            "--reuid=100003",
            "--regid=100003",
            "--clear-groups",
            "--inh-caps=-all",
            "--bounding-set=-all",
            "--no-new-privs");
    // the user namespace comes from an unprivileged bubblewrap, which cannot create another
    int inner = command.lastIndexOf("bwrap");
    assertThat(inner).isGreaterThan(setpriv);
    assertThat(command.subList(inner, command.size()))
        .contains("--unshare-user", "--disable-userns", "--uid", "1000");
    assertThat(command.subList(command.size() - 2, command.size()))
        .containsExactly("/usr/bin/python3", "function.py");
  }

  @Test
  void inputsAndSourceAreReadOnlyOutputsWritableAndNothingElseOfTheNode() {
    for (boolean root : List.of(true, false)) {
      List<String> command = command(root);

      assertThat(triple(command, "/node/work/functions/f/source"))
          .containsExactly("--ro-bind", "/node/work/functions/f/source", "/function");
      assertThat(triple(command, "/node/work/p/task/data_samples"))
          .containsExactly("--ro-bind", "/node/work/p/task/data_samples", "/task/data_samples");
      assertThat(triple(command, "/node/work/p/task/out_models"))
          .containsExactly("--bind", "/node/work/p/task/out_models", "/task/out_models");
      assertThat(command.stream().filter(a -> a.startsWith("/node/")).toList()).hasSize(3);
      assertThat(triple(command, "/usr")).containsExactly("--ro-bind", "/usr", "/usr");
      assertThat(command).containsSubsequence("--symlink", "usr/lib", "/lib");
      // mount points outside the system are reachable by the unprivileged side
      assertThat(command).containsSubsequence("--perms", "0755", "--dir", "/task");
      assertThat(command).containsSubsequence("--perms", "0755", "--dir", "/etc");
      assertThat(Collections.frequency(command, "/task")).isEqualTo(1);
    }
  }

  @Test
  void everyProcessGetsTheTaskLimitsBeforeTheSandboxStarts() {
    for (boolean root : List.of(true, false)) {
      List<String> command = command(root);

      int prlimit = command.indexOf("prlimit");
      assertThat(prlimit).isLessThan(command.lastIndexOf("bwrap"));
      assertThat(command.subList(prlimit, command.size()))
          .contains(
              "--as=" + (1 << 30), "--cpu=60:65", "--nproc=64", "--fsize=" + (1 << 20), "--core=0");
    }
  }

  @Test
  void notRootOneUnprivilegedSandboxHasEveryNamespace() {
    List<String> command = command(false);

    assertThat(command).doesNotContain("setpriv", "--cap-add");
    assertThat(Collections.frequency(command, "bwrap")).isEqualTo(1);
    assertThat(command)
        .contains("--unshare-all", "--unshare-user", "--disable-userns", "--new-session");
  }

  private static List<String> triple(List<String> command, String source) {
    int at = command.indexOf(source);
    return command.subList(at - 1, at + 2);
  }
}
