package org.substra.node.api.storage;

/**
 * Where each file of an asset lives in object storage. compute-service and scheduler-service read
 * the same layout (worker-spec §2.4, §2.7, §2.9 for models and logs).
 */
public final class Buckets {

  /** {@code <function key>/archive}, {@code <function key>/description}. */
  public static final String FUNCTIONS = "substra-function";

  /** {@code <data manager key>/opener}, {@code <data manager key>/description}. */
  public static final String DATA_MANAGERS = "substra-datamanager";

  /**
   * {@code <sample key>}: a zip or tar archive of the sample's folder, or an empty object whose
   * user metadata {@code server-path} names the folder it was registered from.
   */
  public static final String DATA_SAMPLES = "substra-datasample";

  /** {@code models/<model key>/model}. */
  public static final String MODELS = "substra-model";

  /** {@code <asset key>}: the logs of a failed task or function build. */
  public static final String LOGS = "substra-asset-logs";

  /** User metadata key of a sample registered by server path. */
  public static final String SERVER_PATH = "server-path";

  private Buckets() {}

  public static String modelObject(String modelKey) {
    return "models/" + modelKey + "/model";
  }
}
