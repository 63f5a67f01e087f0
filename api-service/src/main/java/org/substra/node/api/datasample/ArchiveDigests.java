package org.substra.node.api.datasample;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.substra.node.api.error.ApiException;
import org.substra.node.api.registration.Archives;
import org.substra.node.api.storage.Checksums;
import org.substra.node.shared.archive.Bounds;

/**
 * The folder checksum of an archive computed on another thread from the bytes that pass through
 * {@link #tee}: the archive is read once, by whoever stores it, and hashed meanwhile. A bounded
 * queue keeps the two in step (at most {@link #QUEUED} chunks wait), so memory stays small.
 */
final class ArchiveDigests {

  private static final int QUEUED = 32;
  private static final byte[] END = new byte[0];

  private final BlockingQueue<byte[]> chunks = new ArrayBlockingQueue<>(QUEUED);
  private final CompletableFuture<List<String>> digests;
  private boolean ended;

  ArchiveDigests(Executor executor, long maxFileSize, Bounds bounds) {
    this.digests =
        CompletableFuture.supplyAsync(
            () -> {
              Chunks archive = new Chunks();
              try {
                return Archives.fileDigests(archive, maxFileSize, bounds);
              } finally {
                // The archive's reader may stop before the end (a zip's central directory).
                archive.drain();
              }
            },
            executor);
  }

  /** {@code source}, whose bytes are hashed as they are read; read it to its end, then close. */
  InputStream tee(InputStream source) {
    return new FilterInputStream(source) {
      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] target, int offset, int length) throws IOException {
        failFast();
        int n = super.read(target, offset, length);
        if (n > 0) {
          put(Arrays.copyOfRange(target, offset, offset + n));
        } else if (n < 0) {
          end();
        }
        return n;
      }

      @Override
      public void close() throws IOException {
        end();
      }
    };
  }

  /**
   * The checksum compute-service checks, once the whole archive went through {@link #tee}; 400 when
   * it is no archive.
   */
  String checksum() {
    end();
    try {
      return Checksums.folder(digests.join());
    } catch (CompletionException e) {
      throw refusal(e);
    }
  }

  /** Ends the hashing, e.g. when the upload failed: the hashing thread stops. */
  void end() {
    if (!ended) {
      ended = true;
      try {
        chunks.put(END);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** An archive already refused need not be stored to the end: 400 now. */
  private void failFast() {
    if (digests.isCompletedExceptionally()) {
      try {
        digests.join();
      } catch (CompletionException e) {
        throw refusal(e);
      }
    }
  }

  private void put(byte[] chunk) throws IOException {
    try {
      chunks.put(chunk);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while hashing the upload");
    }
  }

  private static RuntimeException refusal(CompletionException e) {
    if (e.getCause() instanceof Archives.Refused refused) {
      return ApiException.detail(400, refused.getMessage());
    }
    return e.getCause() instanceof RuntimeException cause ? cause : e;
  }

  /** The chunks as the archive reader sees them. */
  private final class Chunks extends InputStream {
    private byte[] chunk = new byte[0];
    private int index;
    private boolean done;

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] target, int offset, int length) throws IOException {
      if (length == 0) {
        return 0;
      }
      while (index == chunk.length) {
        if (done) {
          return -1;
        }
        take();
      }
      int n = Math.min(length, chunk.length - index);
      System.arraycopy(chunk, index, target, offset, n);
      index += n;
      return n;
    }

    /** The archive reader closes its stream; the rest is still drained. */
    @Override
    public void close() {}

    void drain() {
      try {
        while (!done) {
          take();
        }
      } catch (IOException e) {
        // Interrupted: the uploading side has gone.
      }
    }

    private void take() throws IOException {
      try {
        chunk = chunks.take();
        index = 0;
        done = chunk == END;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        done = true;
        throw new InterruptedIOException("interrupted while hashing the upload");
      }
    }
  }
}
