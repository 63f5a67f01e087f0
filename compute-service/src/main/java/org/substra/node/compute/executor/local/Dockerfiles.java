package org.substra.node.compute.executor.local;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The command a Dockerfile gives its container: {@code ENTRYPOINT} then {@code CMD}, both in the
 * JSON exec form (the only one worker-spec §2.6 allows), the last of each winning as in Docker.
 */
public final class Dockerfiles {

  private Dockerfiles() {}

  public static final class InvalidDockerfile extends Exception {
    InvalidDockerfile(String message) {
      super(message);
    }
  }

  public static List<String> command(String dockerfile) throws InvalidDockerfile {
    List<String> entrypoint = List.of();
    List<String> cmd = List.of();
    for (String instruction : instructions(dockerfile)) {
      String[] parts = instruction.split("\\s+", 2);
      String keyword = parts[0].toUpperCase(Locale.ROOT);
      if (keyword.equals("ENTRYPOINT") || keyword.equals("CMD")) {
        List<String> argv = execForm(keyword, parts.length > 1 ? parts[1].trim() : "");
        if (keyword.equals("ENTRYPOINT")) {
          entrypoint = argv;
        } else {
          cmd = argv;
        }
      }
    }
    List<String> command = new ArrayList<>(entrypoint);
    command.addAll(cmd);
    if (command.isEmpty()) {
      throw new InvalidDockerfile("the Dockerfile has no ENTRYPOINT nor CMD");
    }
    return command;
  }

  private static List<String> execForm(String keyword, String value) throws InvalidDockerfile {
    try {
      JsonArray array = new JsonArray(value);
      List<String> argv = new ArrayList<>();
      for (Object token : array) {
        if (!(token instanceof String text)) {
          throw new InvalidDockerfile(keyword + " must be a JSON array of strings: " + value);
        }
        argv.add(text);
      }
      return argv;
    } catch (DecodeException | ClassCastException e) {
      throw new InvalidDockerfile(keyword + " must use the JSON exec form: " + value);
    }
  }

  /** Instructions with continuation lines joined, comments and blank lines dropped. */
  private static List<String> instructions(String dockerfile) {
    List<String> instructions = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : dockerfile.split("\\R")) {
      String trimmed = line.strip();
      if (current.isEmpty() && (trimmed.isEmpty() || trimmed.startsWith("#"))) {
        continue;
      }
      if (trimmed.endsWith("\\")) {
        current.append(trimmed, 0, trimmed.length() - 1).append(' ');
        continue;
      }
      current.append(trimmed);
      instructions.add(current.toString());
      current.setLength(0);
    }
    if (!current.isEmpty()) {
      instructions.add(current.toString());
    }
    return instructions;
  }
}
