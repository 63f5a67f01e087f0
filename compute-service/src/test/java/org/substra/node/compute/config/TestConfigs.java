package org.substra.node.compute.config;

import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** Real config mappings with their declared defaults, for tests that need no Quarkus boot. */
public final class TestConfigs {

  private TestConfigs() {}

  /**
   * @param properties {@code key, value, key, value, ...} on top of the mapping defaults
   */
  public static SmallRyeConfig of(String... properties) {
    Map<String, String> values = new HashMap<>();
    for (int i = 0; i < properties.length; i += 2) {
      values.put(properties[i], properties[i + 1]);
    }
    return new SmallRyeConfigBuilder()
        // Quarkus's converter, so that durations read like in application.properties ("300s").
        .withConverter(Duration.class, 200, new DurationConverter())
        .withConverter(MemorySize.class, 200, new MemorySizeConverter())
        .withMapping(ComputeConfig.class)
        .withMapping(RegistryConfig.class)
        .withSources(new PropertiesConfigSource(values, "test", 500))
        .build();
  }

  public static ComputeConfig compute(String... properties) {
    return of(properties).getConfigMapping(ComputeConfig.class);
  }

  public static RegistryConfig registry(String... properties) {
    return of(properties).getConfigMapping(RegistryConfig.class);
  }
}
