package org.substra.node.compute.kubernetes;

import com.fasterxml.jackson.core.type.TypeReference;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.function.Supplier;

/**
 * The chart passes pod settings as JSON strings; a malformed one must stop the service at startup
 * with the setting's name rather than fail each task.
 */
final class JsonSetting {

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private JsonSetting() {}

  static <T> T parse(String key, String json, Class<T> type) {
    return parse(key, () -> SERIALIZATION.unmarshal(json, type));
  }

  static <T> T parse(String key, String json, TypeReference<T> type) {
    return parse(key, () -> SERIALIZATION.unmarshal(json, type));
  }

  private static <T> T parse(String key, Supplier<T> parser) {
    T value;
    try {
      value = parser.get();
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(key + " is not valid: " + e.getMessage(), e);
    }
    if (value == null) {
      throw new IllegalArgumentException(key + " is empty");
    }
    return value;
  }
}
