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
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
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

  /**
   * Parts of a streamed upload: the smallest S3 takes, because each one is held in memory, and
   * {@link #PARTS_IN_FLIGHT} of them are sent while the next one is read.
   */
  static final int STREAM_PART = 5 * 1024 * 1024;

  static final int PARTS_IN_FLIGHT = 2;

  /**
   * Part buffers of finished uploads, for the next ones: allocated once, they stay in the old
   * generation instead of filling it with dead 5 MiB arrays that only full collections reclaim (a
   * 64 MiB heap then spends more time collecting than uploading).
   */
  private static final BlockingQueue<byte[]> IDLE_BUFFERS =
      new ArrayBlockingQueue<>(PARTS_IN_FLIGHT + 1);

  private final MinioClient client;
  private final MultipartUploads uploads;

  ObjectStorage(MinioClient client, MultipartUploads uploads) {
    this.client = client;
    this.uploads = uploads;
  }

  /**
   * Uploads {@code content} to {@code bucket/object} as it is read, so reading the source and
   * writing the store overlap: content that fits one part in one put; more, when {@code expected}
   * (its length as announced, or -1) says how long it will be, in one put of that length; else as a
   * multipart upload whose parts are sent while the next ones are read. The object is right even
   * when {@code expected} is not, at the cost of a copy by the store. Nothing is left in the store
   * when reading {@code content} fails; that failure is thrown as it is.
   */
  public Uploaded upload(String bucket, String object, InputStream content, long expected)
      throws IOException {
    byte[] first = buffer();
    int length;
    try {
      length = content.readNBytes(first, 0, first.length);
    } catch (IOException | RuntimeException e) {
      IDLE_BUFFERS.offer(first);
      throw e;
    }
    if (length < first.length) {
      try {
        uploads.put(bucket, object, first, length);
      } catch (Exception e) {
        throw unavailable(e);
      } finally {
        IDLE_BUFFERS.offer(first);
      }
      return new Uploaded(length, false);
    }
    if (expected >= first.length) {
      return new AnnouncedPut(bucket, object, expected).run(content, first);
    }
    String uploadId;
    try {
      uploadId = uploads.create(bucket, object);
    } catch (Exception e) {
      IDLE_BUFFERS.offer(first);
      throw unavailable(e);
    }
    return new Uploaded(new MultipartUpload(bucket, object, uploadId).run(content, first), false);
  }

  /** What {@link #upload} stored: its length, and whether a wrong expected length was mended. */
  public record Uploaded(long length, boolean mended) {}

  /** Chunks of an announced put: each is sent as it was read, then dropped. */
  private static final int CHUNK = 64 * 1024;

  /** What fills an announced put whose content ended early: never written to. */
  private static final byte[] ZEROS = new byte[CHUNK];

  /**
   * Content beyond its announced length that is kept for {@link AnnouncedPut#mend}: a guessed
   * length is short by a few bytes at most (a multipart body without its last line break).
   */
  private static final int MAX_OVERRUN = 64 * 1024;

  /**
   * One put of the announced length, sent while the content is read: the store writes the object
   * once, where a multipart upload makes it assemble the parts again. When the content is not that
   * long after all, the put is filled up or cut to keep its promise, then mended by the store
   * itself: a copy of the right bytes replaces the object.
   */
  private final class AnnouncedPut {
    private final String bucket;
    private final String object;
    private final long announced;

    AnnouncedPut(String bucket, String object, long announced) {
      this.bucket = bucket;
      this.object = object;
      this.announced = announced;
    }

    Uploaded run(InputStream content, byte[] first) throws IOException {
      HttpURLConnection put;
      try {
        put = uploads.openPut(bucket, object, announced);
      } catch (IOException e) {
        IDLE_BUFFERS.offer(first);
        throw unavailable(e);
      }
      ByteArrayOutputStream overrun = new ByteArrayOutputStream();
      try {
        OutputStream out = body(put);
        send(out, first, first.length);
        long sent = first.length;
        byte[] chunk = new byte[CHUNK];
        for (int n = CHUNK; n == CHUNK; ) {
          n = content.readNBytes(chunk, 0, CHUNK);
          int fits = (int) Math.min(n, announced - sent);
          send(out, chunk, fits);
          sent += fits;
          if (overrun.size() + n - fits > MAX_OVERRUN) {
            throw new IOException("The content is longer than announced");
          }
          overrun.write(chunk, fits, n - fits);
        }
        long length = sent + overrun.size();
        for (long filled = sent; filled < announced; filled += CHUNK) {
          send(out, ZEROS, (int) Math.min(CHUNK, announced - filled));
        }
        finish(put, out);
        if (length != announced) {
          mend(length, overrun.toByteArray());
        }
        return new Uploaded(length, length != announced);
      } catch (IOException | RuntimeException failed) {
        // The store drops a put whose body was cut short.
        put.disconnect();
        remove(bucket, object);
        throw failed;
      } finally {
        IDLE_BUFFERS.offer(first);
      }
    }

    // The store's failures are unavailability (503); only the content's own are thrown as they are.

    private static OutputStream body(HttpURLConnection put) {
      try {
        return put.getOutputStream();
      } catch (IOException e) {
        throw unavailable(e);
      }
    }

    private static void send(OutputStream out, byte[] bytes, int length) {
      try {
        out.write(bytes, 0, length);
      } catch (IOException e) {
        throw unavailable(e);
      }
    }

    private void finish(HttpURLConnection put, OutputStream out) {
      try {
        out.close();
        int status = put.getResponseCode();
        if (status / 100 != 2) {
          throw new IOException("The object storage answered " + status + " to PUT " + object);
        }
        try (InputStream answer = put.getInputStream()) {
          answer.transferTo(OutputStream.nullOutputStream());
        }
      } catch (IOException e) {
        throw unavailable(e);
      }
    }

    /** Replaces the object by its first {@code length} bytes, plus the {@code overrun} sent. */
    private void mend(long length, byte[] overrun) {
      try {
        String uploadId = uploads.create(bucket, object);
        try {
          long copied = Math.min(length, announced);
          List<String> etags = new ArrayList<>();
          etags.add(uploads.copyPart(bucket, object, uploadId, 1, object, 0, copied - 1));
          if (overrun.length > 0) {
            etags.add(
                uploads.uploadPart(bucket, object, uploadId, 2, overrun, overrun.length).join());
          }
          uploads.complete(bucket, object, uploadId, etags);
        } catch (Exception e) {
          uploads.abort(bucket, object, uploadId);
          throw e;
        }
      } catch (Exception e) {
        remove(bucket, object);
        throw unavailable(e);
      }
    }

    private void await(CompletableFuture<Void> stored) {
      try {
        stored.get();
      } catch (ExecutionException e) {
        throw unavailable(e.getCause() instanceof Exception cause ? cause : e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw unavailable(e);
      }
    }
  }

  private static byte[] buffer() {
    byte[] idle = IDLE_BUFFERS.poll();
    return idle != null ? idle : new byte[STREAM_PART];
  }

  /** A part being sent, with the buffer it is sent from (reused once it is sent). */
  private record Sending(byte[] buffer, CompletableFuture<String> etag) {}

  /** The parts of one streamed upload. */
  private final class MultipartUpload {
    private final String bucket;
    private final String object;
    private final String uploadId;
    private final ArrayDeque<Sending> sending = new ArrayDeque<>();
    private final ArrayDeque<byte[]> free = new ArrayDeque<>();
    private final List<String> etags = new ArrayList<>();

    MultipartUpload(String bucket, String object, String uploadId) {
      this.bucket = bucket;
      this.object = object;
      this.uploadId = uploadId;
    }

    long run(InputStream content, byte[] first) throws IOException {
      long total = 0;
      try {
        byte[] buffer = first;
        int length = first.length;
        for (int number = 1; length > 0; number++) {
          sending.add(
              new Sending(
                  buffer, uploads.uploadPart(bucket, object, uploadId, number, buffer, length)));
          total += length;
          if (length < buffer.length) {
            break;
          }
          if (sending.size() >= PARTS_IN_FLIGHT) {
            free.add(awaitOldest());
          }
          buffer = free.isEmpty() ? buffer() : free.poll();
          length = content.readNBytes(buffer, 0, buffer.length);
        }
        while (!sending.isEmpty()) {
          free.add(awaitOldest());
        }
        complete();
        return total;
      } catch (IOException | RuntimeException failed) {
        abort();
        throw failed;
      } finally {
        free.forEach(IDLE_BUFFERS::offer);
      }
    }

    /** Storage failures are unavailability; only the content's own are thrown as they are. */
    private void complete() {
      try {
        uploads.complete(bucket, object, uploadId, etags);
      } catch (IOException e) {
        throw unavailable(e);
      }
    }

    private byte[] awaitOldest() {
      Sending oldest = sending.poll();
      try {
        etags.add(oldest.etag().get());
      } catch (ExecutionException e) {
        throw unavailable(e.getCause() instanceof Exception cause ? cause : e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw unavailable(e);
      }
      return oldest.buffer();
    }

    /** Waits for the parts being sent, so that none lands after the upload is aborted. */
    private void abort() {
      for (Sending each : sending) {
        try {
          each.etag().join();
        } catch (CompletionException | CancellationException ignored) {
          // Aborted below anyway.
        }
      }
      try {
        uploads.abort(bucket, object, uploadId);
      } catch (Exception e) {
        LOG.warnf(e, "Could not abort the upload of %s/%s", bucket, object);
      }
    }
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
