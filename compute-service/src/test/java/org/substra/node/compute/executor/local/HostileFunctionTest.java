package org.substra.node.compute.executor.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.substra.node.compute.config.ComputeConfig;
import org.substra.node.compute.config.TestConfigs;
import org.substra.node.compute.executor.Executor.Execution;
import org.substra.node.compute.executor.TaskRun;
import org.substra.node.compute.staging.AssetCache;
import org.substra.node.compute.staging.TaskWorkspace;
import org.substra.node.compute.testing.OneArchive;
import org.substra.node.compute.testing.TestNetwork;
import org.substra.node.orchestrator.protocol.Addressable;
import org.substra.node.orchestrator.protocol.Function;
import org.substra.node.testing.LocalInfrastructure;

/**
 * Another organization's function, run by the real local executor in its real sandbox, tries every
 * way out we know of: each attempt must fail inside the function, or the task end naming the limit
 * it met, and the node's files stay as they were.
 */
class HostileFunctionTest {

  static final String OTHER_ORGANIZATION = "MyOrg2MSP";
  static final String SECRET = "the node's secret";
  static final String INPUT = "1.5\n";
  static final String MARKER = "hostile-leftover-" + UUID.randomUUID();

  @TempDir static Path workDir;

  static LocalExecutor executor;
  static Path secret;
  static Path rootOnlySecret;
  static Path otherPlanFile;
  static Path cachedInput;
  static byte[] archive;

  @BeforeAll
  static void aNodeWithSecrets() throws Exception {
    // what a node keeps next to its tasks: accounts, another plan's data, its own jars
    secret = workDir.resolve("accounts/incoming_organizations");
    Files.createDirectories(secret.getParent());
    Files.writeString(secret, SECRET);
    rootOnlySecret = workDir.resolve("accounts/self-secret");
    Files.writeString(rootOnlySecret, SECRET);
    Files.setPosixFilePermissions(rootOnlySecret, PosixFilePermissions.fromString("rw-------"));
    otherPlanFile = workDir.resolve("other-plan/task/data_samples/sample/data.csv");
    Files.createDirectories(otherPlanFile.getParent());
    Files.writeString(otherPlanFile, "another plan's data");
    cachedInput = workDir.resolve("cache/data_samples/sample/data.csv");
    Files.createDirectories(cachedInput.getParent());
    Files.writeString(cachedInput, INPUT);
    archive = archive();

    JsonObject targets =
        new JsonObject()
            .put(
                "secrets",
                new JsonArray()
                    .add(secret.toString())
                    .add(rootOnlySecret.toString())
                    .add(otherPlanFile.toString())
                    .add(cachedInput.toString())
                    .add(
                        Path.of("target/classes/application.properties")
                            .toAbsolutePath()
                            .toString())
                    .add("/proc/1/root/etc/shadow")
                    .add("/root/.bash_history"))
            .put(
                "folders",
                new JsonArray()
                    .add(workDir.toString())
                    .add(workDir.resolve("functions").toString())
                    .add(workDir.resolve("other-plan").toString())
                    .add(Path.of("").toAbsolutePath().toString())
                    .add("/var/lib/postgresql")
                    .add("/home"))
            .put(
                "ports",
                new JsonArray()
                    .add(LocalInfrastructure.POSTGRESQL_PORT)
                    .add(LocalInfrastructure.RABBITMQ_PORT)
                    .add(LocalInfrastructure.S3_PORT))
            .put(
                "writes",
                new JsonArray()
                    .add("/function/function.py")
                    .add("/usr/hostile")
                    .add("/etc/passwd")
                    .add("/task/cli-args/arguments.txt")
                    .add(secret.toString())
                    .add(workDir.resolve("hostile").toString()))
            .put("inputs", new JsonArray().add("/task/data_samples/sample/data.csv"))
            .put("marker", MARKER);
    executor =
        new LocalExecutor(
            config(targets, "bwrap"), new OneArchive(HostileFunctionTest::archiveFor));
  }

  static ComputeConfig config(JsonObject targets, String bwrap) {
    return TestConfigs.compute(
        "compute.work-dir", workDir.toString(),
        "compute.msp-id", "MyOrg1MSP",
        "compute.limits.memory", "256Mi",
        "compute.limits.timeout", "5s",
        "compute.limits.processes", "40",
        "compute.limits.disk", "8Mi",
        "compute.local.sandbox.check-interval", "100ms",
        "compute.local.sandbox.bwrap", bwrap,
        "compute.local.env.HOSTILE_TARGETS", targets.encode());
  }

  @AfterAll
  static void nothingOfTheNodeChanged() throws IOException {
    assertThat(Files.readString(secret)).isEqualTo(SECRET);
    assertThat(Files.readString(rootOnlySecret)).isEqualTo(SECRET);
    assertThat(Files.readString(cachedInput)).isEqualTo(INPUT);
    assertThat(workDir.resolve("hostile")).doesNotExist();
  }

  @Test
  void theSandboxStartsOnThisMachine() {
    assertThat(executor.sandbox().unavailable()).isEmpty();
  }

  @Test
  void itReadsNoFileOfTheNodeNorOfOtherTasks() throws Exception {
    Result result = run("read", OTHER_ORGANIZATION);

    assertThat(result.logs()).contains("blocked read /etc/shadow", "blocked list " + workDir);
    assertThat(result.logs()).doesNotContain("ESCAPED");
    assertThat(result.execution().exitCode()).isZero();
  }

  @Test
  void itReachesNoServerOfTheNodeNotEvenOnLoopback() throws Exception {
    // the servers are there: only the sandbox keeps the function from them
    try (Socket reachable = new Socket("127.0.0.1", LocalInfrastructure.POSTGRESQL_PORT)) {
      assertThat(reachable.isConnected()).isTrue();
    }

    Result result = run("network", OTHER_ORGANIZATION);

    assertThat(result.logs())
        .contains(
            "blocked connect 127.0.0.1:" + LocalInfrastructure.POSTGRESQL_PORT,
            "blocked connect 127.0.0.1:" + LocalInfrastructure.RABBITMQ_PORT,
            "blocked resolve a name")
        .doesNotContain("ESCAPED");
  }

  @Test
  void itWritesOnlyItsOwnOutputsAndCannotTouchItsInputs() throws Exception {
    Result result = run("write", OTHER_ORGANIZATION);

    assertThat(result.logs())
        .contains("blocked write input /task/data_samples/sample/data.csv")
        .contains("blocked remove input /task/data_samples/sample/data.csv")
        .doesNotContain("ESCAPED");
    assertThat(result.execution().exitCode()).isZero();
    Path output = result.workspace().folder("out_models").resolve("mine");
    assertThat(output).hasContent("an output of my own");
    assertThat(Files.readString(cachedInput)).isEqualTo(INPUT);
    if (executor.sandbox().root()) {
      // an unprivileged host user, not this service's root
      assertThat(Files.getAttribute(output, "unix:uid")).isEqualTo(executor.sandbox().uid(0));
    }
  }

  @Test
  void itSeesOnlyItselfAMinimalSystemAndNoSecretInItsEnvironment() throws Exception {
    Result result = run("identity", OTHER_ORGANIZATION);

    assertThat(result.logs()).contains("uid 1000 gid 1000");
    String root = line(result.logs(), "root ");
    Set<String> minimal =
        new java.util.HashSet<>(
            Set.of(
                "bin",
                "dev",
                "etc",
                "function",
                "lib",
                "lib32",
                "lib64",
                "libx32",
                "proc",
                "sbin",
                "task",
                "tmp",
                "usr"));
    // an interpreter installed elsewhere (pyenv under /root) is shown, alone, at its own path
    minimal.add(executor.sandbox().python().getName(0).toString());
    assertThat(new JsonArray(root).getList()).allMatch(minimal::contains, "the minimal system");
    List<?> processes = new JsonArray(line(result.logs(), "processes ")).getList();
    assertThat(processes.size()).isLessThanOrEqualTo(3);
    List<?> environment = new JsonArray(line(result.logs(), "env ")).getList();
    assertThat(environment)
        .allMatch(
            name ->
                Set.of(
                        "HOME",
                        "TMPDIR",
                        "PATH",
                        "PWD",
                        "LANG",
                        "LC_ALL",
                        "LC_CTYPE",
                        "HOSTILE_TARGETS")
                    .contains(name),
            "only the task's own variables");
  }

  @Test
  void aForkBombMeetsTheProcessLimitAndNothingOutlivesTheTask() throws Exception {
    Result result = run("forkbomb", OTHER_ORGANIZATION);

    assertThat(result.logs()).contains("blocked fork after");
    int children = Integer.parseInt(line(result.logs(), "blocked fork after ").split(" ")[0]);
    assertThat(children).isLessThan(40);
    if (executor.sandbox().root()) {
      assertThat(processesOf(executor.sandbox().uid(0))).isEmpty();
    }
  }

  @Test
  void allocatingPastTheMemoryLimitFailsTheTaskNamingIt() throws Exception {
    Result result = run("memory", OTHER_ORGANIZATION);

    assertThat(result.execution().exitCode()).isNotZero();
    assertThat(result.execution().limitExceeded().orElse(""))
        .contains("memory", "compute.limits.memory");
    assertThat(result.logs()).doesNotContain("ESCAPED");
  }

  @Test
  void holdingMoreMemoryThanTheLimitInSmallPiecesKillsTheTaskNamingIt() throws Exception {
    Result result = run("hoard", OTHER_ORGANIZATION);

    assertThat(result.execution().exitCode()).isNotZero();
    assertThat(result.execution().limitExceeded().orElse(""))
        .contains("256Mi", "compute.limits.memory");
    assertThat(result.logs()).doesNotContain("ESCAPED");
  }

  @Test
  void runningPastTheTimeoutKillsTheTaskNamingIt() throws Exception {
    long start = System.nanoTime();
    Result result = run("sleep", OTHER_ORGANIZATION);

    assertThat((System.nanoTime() - start) / 1_000_000_000).isLessThan(30);
    assertThat(result.execution().exitCode()).isNotZero();
    assertThat(result.execution().limitExceeded().orElse(""))
        .contains("5s", "compute.limits.timeout");
    assertThat(result.logs()).doesNotContain("ESCAPED");
  }

  @Test
  void writingPastTheDiskLimitKillsTheTaskNamingIt() throws Exception {
    Result result = run("disk", OTHER_ORGANIZATION);

    assertThat(result.execution().exitCode()).isNotZero();
    assertThat(result.execution().limitExceeded().orElse("")).contains("compute.limits.disk");
    assertThat(result.logs()).doesNotContain("ESCAPED");
  }

  @Test
  void aChildLeftBehindDiesWithTheTask() throws Exception {
    Result result = run("leftover", OTHER_ORGANIZATION);

    assertThat(result.execution().exitCode()).isZero();
    assertThat(result.logs()).contains("children left behind");
    assertThat(
            ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().orElse("").contains(MARKER))
                .filter(ProcessHandle::isAlive)
                .toList())
        .isEmpty();
  }

  @Test
  void withoutASandboxAnotherOrganizationsFunctionIsRefused() throws Exception {
    LocalExecutor unsandboxed =
        new LocalExecutor(
            config(new JsonObject(), "/nonexistent/bwrap"),
            new OneArchive(HostileFunctionTest::archiveFor));
    assertThat(unsandboxed.sandbox().unavailable()).isPresent();

    Result result = run(unsandboxed, "identity", OTHER_ORGANIZATION);

    assertThat(result.execution().exitCode()).isNotZero();
    assertThat(result.execution().limitExceeded().orElse(""))
        .contains("refuses", OTHER_ORGANIZATION);
    assertThat(result.logs()).doesNotContain("uid ");
  }

  @Test
  void withoutASandboxOwnFunctionsRunOnlyWhenTheOperatorAllowsIt() throws Exception {
    ComputeConfig refusing = config(new JsonObject(), "/nonexistent/bwrap");
    Result refused =
        run(
            new LocalExecutor(refusing, new OneArchive(HostileFunctionTest::archiveFor)),
            "identity",
            "MyOrg1MSP");
    assertThat(refused.execution().limitExceeded().orElse(""))
        .contains("allow-unsandboxed-own-functions");

    ComputeConfig allowing =
        TestConfigs.compute(
            "compute.work-dir", workDir.toString(),
            "compute.msp-id", "MyOrg1MSP",
            "compute.local.sandbox.bwrap", "/nonexistent/bwrap",
            "compute.local.sandbox.allow-unsandboxed-own-functions", "true");
    Result allowed =
        run(
            new LocalExecutor(allowing, new OneArchive(HostileFunctionTest::archiveFor)),
            "identity",
            "MyOrg1MSP");
    assertThat(allowed.execution().exitCode()).isZero();
    assertThat(allowed.execution().limitExceeded()).isEmpty();
  }

  record Result(Execution execution, String logs, TaskWorkspace workspace) {}

  private Result run(String name, String owner) throws Exception {
    return run(executor, name, owner);
  }

  private Result run(LocalExecutor executor, String name, String owner) throws Exception {
    String plan = UUID.randomUUID().toString();
    String task = UUID.randomUUID().toString();
    Function function =
        Function.newBuilder()
            .setKey(UUID.randomUUID().toString())
            .setName(name)
            .setOwner(owner)
            .setArchive(Addressable.newBuilder().setChecksum(""))
            .build();
    executor.build(function);
    TaskWorkspace workspace = TaskWorkspace.of(workDir, plan);
    workspace.reset();
    AssetCache.link(cachedInput.getParent(), workspace.folder("data_samples").resolve("sample"));
    String folder = executor.sandboxPath(workspace.folder("data_samples"), "data_samples");
    Files.writeString(
        workspace.argumentsFile(),
        "--inputs\n[{\"id\": \"datasamples\", \"value\": \""
            + folder
            + "/sample\", \"multiple\": true}]\n");
    Execution execution = executor.execute(new TaskRun(plan, task, function, workspace));
    String logs = Files.readString(execution.logs());
    return new Result(execution, logs, workspace);
  }

  private static String line(String logs, String prefix) {
    return logs.lines()
        .filter(l -> l.startsWith(prefix))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no line " + prefix + " in:\n" + logs))
        .substring(prefix.length());
  }

  private static List<Long> processesOf(int uid) throws IOException {
    List<Long> pids = new ArrayList<>();
    try (Stream<Path> all = Files.list(Path.of("/proc"))) {
      for (Path dir : all.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
        try {
          String status = Files.readString(dir.resolve("status"));
          if (status.contains("\nUid:\t" + uid + "\t")) {
            pids.add(Long.parseLong(dir.getFileName().toString()));
          }
        } catch (IOException gone) {
          // ended while we looked
        }
      }
    }
    return pids;
  }

  private static byte[] archive() throws IOException {
    try (InputStream in = HostileFunctionTest.class.getResourceAsStream("/functions/hostile.py")) {
      return in.readAllBytes();
    }
  }

  /** The hostile function's archive, running the attack its function's name says. */
  static byte[] archiveFor(Function function) {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put(
        "Dockerfile",
        ("FROM python:3.12-slim\nCOPY function.py .\n"
                + "ENTRYPOINT [\"python3\", \"function.py\", \"--function-name\", \""
                + function.getName()
                + "\"]\n")
            .getBytes(StandardCharsets.UTF_8));
    files.put("function.py", archive);
    try {
      return TestNetwork.zip(files);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
