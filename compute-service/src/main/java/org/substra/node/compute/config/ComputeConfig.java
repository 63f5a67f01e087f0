package org.substra.node.compute.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;

/** Settings of image builds and task execution. */
@ConfigMapping(prefix = "compute")
public interface ComputeConfig {

  /** Where builds and tasks run: Kaniko and compute pods, or local processes. */
  @WithDefault("kubernetes")
  Executor executor();

  /**
   * Root of the task working directories and of the asset cache; in Kubernetes the volume shared
   * with compute pods.
   */
  @WithDefault("/var/substra/medias/subtuple")
  Path workDir();

  enum Executor {
    KUBERNETES,
    LOCAL
  }
}
