package org.substra.node.scheduler.storage;

import io.minio.BucketExistsArgs;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.messages.Item;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.function.Consumer;

/** The S3 calls of the clean-up: list a bucket, delete an object. */
@Singleton
public class ObjectStore {

  /** An object of a bucket and when it was last written. */
  public record StoredObject(String name, Instant lastModified) {}

  private final MinioClient minio;

  ObjectStore(MinioClient minio) {
    this.minio = minio;
  }

  public boolean exists(String bucket) throws Exception {
    return minio.bucketExists(BucketExistsArgs.builder().bucket(bucket).build());
  }

  /** Every object of {@code bucket}, streamed page after page. */
  public void forEach(String bucket, Consumer<StoredObject> action) throws Exception {
    for (Result<Item> result :
        minio.listObjects(ListObjectsArgs.builder().bucket(bucket).recursive(true).build())) {
      Item item = result.get();
      if (!item.isDir()) {
        action.accept(new StoredObject(item.objectName(), item.lastModified().toInstant()));
      }
    }
  }

  public void delete(String bucket, String name) throws Exception {
    minio.removeObject(RemoveObjectArgs.builder().bucket(bucket).object(name).build());
  }
}
