package org.substra.node.api.storage;

import io.minio.GetObjectArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.StatObjectArgs;
import io.minio.StatObjectResponse;
import io.minio.UploadObjectArgs;
import io.minio.errors.ErrorResponseException;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.jboss.logging.Logger;
import org.substra.node.api.error.ApiException;

/**
 * The node's object storage (S3 API) with the layout compute-service and scheduler-service read:
 * see {@link Buckets}. Blocking: callers run on worker threads.
 */
@ApplicationScoped
public class ObjectStorage {

  private static final Logger LOG = Logger.getLogger(ObjectStorage.class);

  private static final long MIN_PART = 5L * 1024 * 1024;
  private static final long MAX_PART = 5L * 1024 * 1024 * 1024;

  private final MinioClient client;

  ObjectStorage(MinioClient client) {
    this.client = client;
  }

  /** {@link #store}, answering the file's SHA-256 (what the orchestrator records of it). */
  public String put(String bucket, String object, Path file) {
    String checksum = Checksums.file(file);
    store(bucket, object, file);
    return checksum;
  }

  /**
   * Uploads {@code file} to {@code bucket/object} in one request read from the file (never held in
   * memory). One part up to 5 GiB: the store then writes the object once, where a multipart upload
   * makes it assemble the parts again.
   */
  public void store(String bucket, String object, Path file) {
    try {
      long size = Files.size(file);
      client.uploadObject(
          UploadObjectArgs.builder()
              .bucket(bucket)
              .object(object)
              .filename(file.toString(), Math.min(Math.max(size, MIN_PART), MAX_PART))
              .contentType("application/octet-stream")
              .build());
    } catch (Exception e) {
      throw unavailable(e);
    }
  }

  /** An empty object whose user metadata carries the content, e.g. a server path. */
  public void putMarker(String bucket, String object, Map<String, String> metadata) {
    try {
      client.putObject(
          PutObjectArgs.builder().bucket(bucket).object(object).stream(
                  new ByteArrayInputStream(new byte[0]), 0, -1)
              .userMetadata(metadata)
              .build());
    } catch (Exception e) {
      throw unavailable(e);
    }
  }

  /** The object's content and size, or null when it does not exist. */
  public StoredObject get(String bucket, String object) {
    try {
      StatObjectResponse stat =
          client.statObject(StatObjectArgs.builder().bucket(bucket).object(object).build());
      InputStream content =
          client.getObject(GetObjectArgs.builder().bucket(bucket).object(object).build());
      return new StoredObject(content, stat.size());
    } catch (ErrorResponseException e) {
      if ("NoSuchKey".equals(e.errorResponse().code())) {
        return null;
      }
      throw unavailable(e);
    } catch (Exception e) {
      throw unavailable(e);
    }
  }

  /**
   * Removes the object; a failure is logged, not thrown, because callers remove what a failed
   * registration left and must report that failure, not this one (the storage clean-up job removes
   * what stays).
   */
  public void remove(String bucket, String object) {
    try {
      client.removeObject(RemoveObjectArgs.builder().bucket(bucket).object(object).build());
    } catch (Exception e) {
      LOG.warnf(e, "Could not remove %s/%s", bucket, object);
    }
  }

  private static ApiException unavailable(Exception e) {
    LOG.error("Object storage failed", e);
    return ApiException.detail(503, "The object storage is unavailable: " + e.getMessage());
  }

  /** An object being read: close the stream. */
  public record StoredObject(InputStream content, long size) implements AutoCloseable {
    @Override
    public void close() throws IOException {
      content.close();
    }
  }
}
