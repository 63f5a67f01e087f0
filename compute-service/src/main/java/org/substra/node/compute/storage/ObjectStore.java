package org.substra.node.compute.storage;

import io.minio.GetObjectArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.StatObjectArgs;
import io.minio.UploadObjectArgs;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/** The node's object storage (buckets agreed with api-service, which uploads the inputs). */
@ApplicationScoped
public class ObjectStore {

  public static final String FUNCTIONS = "substra-function";
  public static final String DATA_MANAGERS = "substra-datamanager";
  public static final String DATA_SAMPLES = "substra-datasample";
  public static final String MODELS = "substra-model";
  public static final String LOGS = "substra-asset-logs";

  private final MinioClient client;

  ObjectStore(MinioClient client) {
    this.client = client;
  }

  public void download(String bucket, String object, Path destination) throws IOException {
    Files.createDirectories(destination.getParent());
    try (InputStream in =
        client.getObject(GetObjectArgs.builder().bucket(bucket).object(object).build())) {
      Files.copy(in, destination, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException("cannot read " + bucket + "/" + object + ": " + e.getMessage(), e);
    }
  }

  /** User metadata of an object, keys in lower case. */
  public Map<String, String> metadata(String bucket, String object) throws IOException {
    try {
      return client
          .statObject(StatObjectArgs.builder().bucket(bucket).object(object).build())
          .userMetadata();
    } catch (Exception e) {
      throw new IOException("cannot stat " + bucket + "/" + object + ": " + e.getMessage(), e);
    }
  }

  public void upload(String bucket, String object, Path file) throws IOException {
    try {
      client.uploadObject(
          UploadObjectArgs.builder()
              .bucket(bucket)
              .object(object)
              .filename(file.toString())
              .build());
    } catch (Exception e) {
      throw new IOException("cannot write " + bucket + "/" + object + ": " + e.getMessage(), e);
    }
  }

  public void put(String bucket, String object, byte[] content) throws IOException {
    try {
      client.putObject(
          PutObjectArgs.builder().bucket(bucket).object(object).stream(
                  new ByteArrayInputStream(content), content.length, -1)
              .build());
    } catch (Exception e) {
      throw new IOException("cannot write " + bucket + "/" + object + ": " + e.getMessage(), e);
    }
  }

  public void remove(String bucket, String object) throws IOException {
    try {
      client.removeObject(RemoveObjectArgs.builder().bucket(bucket).object(object).build());
    } catch (Exception e) {
      throw new IOException("cannot delete " + bucket + "/" + object + ": " + e.getMessage(), e);
    }
  }
}
