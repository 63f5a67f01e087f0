package org.substra.node.compute.kubernetes;

import java.util.Map;
import java.util.Objects;

/**
 * What a compute pod depends on. The pod is reused by every task of the plan that runs this image,
 * so the first task decides the optional mounts (same function, same outputs).
 *
 * @param computePlanKey the plan's UUID
 * @param imageTag the function image tag, e.g. {@code function-0123456789abcdef}
 * @param image the reference kubelets pull
 * @param chainkeys whether the plan uses secure-aggregation chainkeys
 * @param modelOutputs whether the function produces models
 * @param performanceOutputs whether the function produces performances
 * @param functionMetadata the function's metadata as registered in the orchestrator
 * @param workingDir the image's working directory, where the function runs (absolute)
 */
public record ComputePod(
    String computePlanKey,
    String imageTag,
    String image,
    boolean chainkeys,
    boolean modelOutputs,
    boolean performanceOutputs,
    Map<String, String> functionMetadata,
    String workingDir) {

  public ComputePod {
    Objects.requireNonNull(computePlanKey, "computePlanKey");
    Objects.requireNonNull(imageTag, "imageTag");
    Objects.requireNonNull(image, "image");
    functionMetadata = functionMetadata == null ? Map.of() : Map.copyOf(functionMetadata);
    if (computePlanKey.length() < 8) {
      throw new IllegalArgumentException("not a compute plan key: " + computePlanKey);
    }
    if (workingDir == null || !workingDir.startsWith("/")) {
      throw new IllegalArgumentException("not an absolute working directory: " + workingDir);
    }
  }

  /** The pod of an image without {@code WORKDIR}: its function runs in {@code /}. */
  public ComputePod(
      String computePlanKey,
      String imageTag,
      String image,
      boolean chainkeys,
      boolean modelOutputs,
      boolean performanceOutputs,
      Map<String, String> functionMetadata) {
    this(
        computePlanKey,
        imageTag,
        image,
        chainkeys,
        modelOutputs,
        performanceOutputs,
        functionMetadata,
        "/");
  }
}
