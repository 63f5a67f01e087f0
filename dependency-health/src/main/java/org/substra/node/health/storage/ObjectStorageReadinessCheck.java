package org.substra.node.health.storage;

import io.minio.MinioClient;
import io.quarkus.arc.properties.IfBuildProperty;
import jakarta.inject.Singleton;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.Readiness;
import org.substra.node.health.BlockingDependencyCheck;
import org.substra.node.health.HealthConfig;

/** Lists the buckets: proves the S3 endpoint answers and accepts this node's credentials. */
@Readiness
@Singleton
@IfBuildProperty(name = "node.health.object-storage.enabled", stringValue = "true")
public class ObjectStorageReadinessCheck extends BlockingDependencyCheck {

  private final MinioClient client;
  private final String url;

  ObjectStorageReadinessCheck(
      MinioClient client,
      HealthConfig health,
      @ConfigProperty(name = "quarkus.minio.host") String url) {
    super(health);
    this.client = client;
    this.url = url;
  }

  @Override
  protected String dependency() {
    return "Object storage";
  }

  @Override
  protected String address() {
    return url;
  }

  @Override
  protected Map<String, String> probe() throws Exception {
    return Map.of("buckets", String.valueOf(client.listBuckets().size()));
  }
}
