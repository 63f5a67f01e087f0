package org.substra.node.compute.staging;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The working directory of a compute plan's current task (worker-spec §2.5): {@code
 * <work>/<plan>/task/{cli-args,data_samples,export,in_models,openers,out_models,perf}}. One task of
 * a plan runs at a time, so the folders are emptied and reused.
 */
public record TaskWorkspace(Path planDir) {

  public static final String[] FOLDERS = {
    "cli-args", "data_samples", "export", "in_models", "openers", "out_models", "perf", "chainkeys"
  };

  public static TaskWorkspace of(Path workDir, String planKey) {
    return new TaskWorkspace(workDir.resolve(planKey));
  }

  public Path task() {
    return planDir.resolve("task");
  }

  public Path folder(String name) {
    return task().resolve(name);
  }

  public Path argumentsFile() {
    return folder("cli-args").resolve("arguments.txt");
  }

  public Path logs(String taskKey) {
    return planDir.resolve("logs").resolve(taskKey + ".log");
  }

  /** Where the pid of the running function process is kept, to stop it after our own crash. */
  public Path pidFile() {
    return planDir.resolve("process.pid");
  }

  /** Empties every folder (contents only: in a pod they are mount points) and creates them. */
  public void reset() throws IOException {
    for (String name : FOLDERS) {
      Path folder = folder(name);
      if (Files.isDirectory(folder)) {
        try (Stream<Path> children = Files.list(folder)) {
          for (Path child : children.toList()) {
            AssetCache.deleteTree(child);
          }
        }
      }
      Files.createDirectories(folder);
    }
    Files.createDirectories(planDir.resolve("logs"));
  }

  /** Removes the whole plan directory, once the plan is over. */
  public void delete() throws IOException {
    AssetCache.deleteTree(planDir);
  }
}
