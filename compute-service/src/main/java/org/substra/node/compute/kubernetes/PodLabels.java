package org.substra.node.compute.kubernetes;

/** Labels on the pods compute-service creates; the chart's network policies and hooks use them. */
public final class PodLabels {

  public static final String POD_NAME = "substra.ai/pod-name";
  public static final String POD_TYPE = "substra.ai/pod-type";
  public static final String COMPONENT = "app.kubernetes.io/component";
  public static final String COMPUTE_PLAN_KEY = "substra.ai/compute-plan-key";
  public static final String FUNCTION_KEY = "substra.ai/function-key";

  public static final String TYPE_IMAGE_BUILD = "image-build";
  public static final String TYPE_COMPUTE_TASK = "compute-task";
  public static final String COMPONENT_VALUE = "substra-compute";

  /** Lets Kaniko reach the registry and the internet through the chart's network policies. */
  public static final String ROLE_REGISTRY_CLIENT = "role-registry-client";

  public static final String ROLE_INTERNET_EGRESS = "role-internet-egress";

  /** Set by the StatefulSet controller on each replica; used to follow a replica's node. */
  public static final String STATEFULSET_POD_NAME = "statefulset.kubernetes.io/pod-name";

  public static final String HOSTNAME_TOPOLOGY = "kubernetes.io/hostname";

  private PodLabels() {}
}
