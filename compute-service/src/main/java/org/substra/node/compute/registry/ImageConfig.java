package org.substra.node.compute.registry;

import java.util.List;
import java.util.Objects;

/**
 * What compute-service needs from an image's config: how Docker would run it.
 *
 * @param command {@code Entrypoint} then {@code Cmd}; empty when the image has neither
 * @param workingDir {@code WorkingDir}, {@code /} when the image sets none: where the command runs,
 *     so where substra-tools creates its {@code model} and {@code chainkeys} folders
 */
public record ImageConfig(List<String> command, String workingDir) {

  public ImageConfig {
    command = List.copyOf(command);
    workingDir = Objects.requireNonNullElse(workingDir, "");
    if (workingDir.isBlank()) {
      workingDir = "/";
    }
  }
}
