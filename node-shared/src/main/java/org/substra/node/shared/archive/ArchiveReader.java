package org.substra.node.shared.archive;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.commons.compress.archivers.ArchiveEntry;
import org.apache.commons.compress.archivers.ArchiveException;
import org.apache.commons.compress.archivers.ArchiveInputStream;
import org.apache.commons.compress.archivers.ArchiveStreamFactory;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.compressors.CompressorException;
import org.apache.commons.compress.compressors.CompressorStreamFactory;

/**
 * Reads a zip, or a tar plain or compressed, entry by entry within its {@link Bounds}: entries are
 * counted as they come, bytes as they are unpacked, whether the caller reads an entry's content or
 * leaves it (what is left is unpacked all the same, and counted, on {@link #next()}). The first
 * bound exceeded ends the reading with an {@link ArchiveRefused} naming it.
 *
 * <pre>{@code
 * try (ArchiveReader archive = ArchiveReader.open(stored, bounds)) {
 *   for (ArchiveReader.Entry entry; (entry = archive.next()) != null; ) {
 *     entry.content().transferTo(out);
 *   }
 * }
 * }</pre>
 */
public final class ArchiveReader implements Closeable {

  /**
   * One entry of the archive.
   *
   * @param name its path as the archive names it, unchecked: the caller decides what a path outside
   *     the archive means
   * @param directory whether it is a directory
   * @param link whether it is a tar link, symbolic or hard
   * @param declaredSize the size the archive declares for it, not trusted by the bounds
   * @param content its bytes, counted as they are read; valid until the next entry, closing it
   *     leaves the archive open
   */
  public record Entry(
      String name, boolean directory, boolean link, long declaredSize, InputStream content) {}

  private final Bounds bounds;
  private final CountingStream stored;
  private final ArchiveInputStream<?> entries;
  private Entry current;
  private long entryCount;
  private long unpacked;

  private ArchiveReader(Bounds bounds, CountingStream stored, ArchiveInputStream<?> entries) {
    this.bounds = bounds;
    this.stored = stored;
    this.entries = entries;
  }

  /**
   * Starts reading {@code stored}, the archive as stored; closing the reader closes it, and so does
   * a failure to open it.
   *
   * @throws ArchiveRefused not a zip or a tar, plain or compressed
   * @throws IOException reading {@code stored} failed
   */
  public static ArchiveReader open(InputStream stored, Bounds bounds) throws IOException {
    CountingStream counted = new CountingStream(stored);
    try {
      return new ArchiveReader(bounds, counted, entries(new BufferedInputStream(counted)));
    } catch (IOException | RuntimeException e) {
      try {
        counted.close();
      } catch (IOException closing) {
        e.addSuppressed(closing);
      }
      throw e;
    }
  }

  /**
   * The next entry, counted against the bounds, or {@code null} at the end; what is left of the
   * previous entry's content is unpacked and counted first.
   */
  public Entry next() throws ArchiveRefused {
    if (current != null) {
      try {
        current.content().transferTo(OutputStream.nullOutputStream());
      } catch (ArchiveRefused e) {
        throw e;
      } catch (IOException e) {
        throw ArchiveRefused.corrupt(e);
      }
    }
    ArchiveEntry entry;
    try {
      entry = entries.getNextEntry();
    } catch (IOException | RuntimeException e) {
      throw ArchiveRefused.corrupt(e);
    }
    if (entry == null) {
      current = null;
      return null;
    }
    if (++entryCount > bounds.maxEntries()) {
      throw ArchiveRefused.overBound(
          ArchiveRefused.Bound.ENTRIES, bounds.maxEntries(), entryCount, stored.count);
    }
    boolean link = entry instanceof TarArchiveEntry tar && (tar.isSymbolicLink() || tar.isLink());
    current = new Entry(entry.getName(), entry.isDirectory(), link, entry.getSize(), new Content());
    return current;
  }

  @Override
  public void close() throws IOException {
    entries.close();
  }

  /** Bytes of the archive, as stored, read so far. */
  public long archiveRead() {
    return stored.count;
  }

  private void unpacked(int n) throws ArchiveRefused {
    unpacked += n;
    if (unpacked > bounds.maxSize()) {
      throw ArchiveRefused.overBound(
          ArchiveRefused.Bound.SIZE, bounds.maxSize(), unpacked, stored.count);
    }
    if (unpacked > bounds.ratioGrace() && unpacked > bounds.maxRatio() * stored.count) {
      throw ArchiveRefused.overBound(
          ArchiveRefused.Bound.RATIO, bounds.maxRatio(), unpacked, stored.count);
    }
  }

  /** A zip, or a tar plain or compressed; {@code raw} supports mark and reset. */
  private static ArchiveInputStream<?> entries(InputStream raw) throws IOException {
    InputStream content = raw;
    try {
      String compression = CompressorStreamFactory.detect(raw);
      content =
          new BufferedInputStream(
              CompressorStreamFactory.getSingleton().createCompressorInputStream(compression, raw));
    } catch (CompressorException notCompressed) {
      // A plain tar or a zip.
    }
    try {
      String format = ArchiveStreamFactory.detect(content);
      if (!format.equals(ArchiveStreamFactory.ZIP) && !format.equals(ArchiveStreamFactory.TAR)) {
        throw ArchiveRefused.notAnArchive();
      }
      return ArchiveStreamFactory.DEFAULT.createArchiveInputStream(format, content);
    } catch (ArchiveException e) {
      throw ArchiveRefused.notAnArchive();
    }
  }

  /** The current entry's content, counted as it is unpacked; closing it leaves the archive. */
  private final class Content extends InputStream {

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] target, int offset, int length) throws IOException {
      if (current == null || current.content() != this) {
        return -1;
      }
      int n;
      try {
        n = entries.read(target, offset, length);
      } catch (IOException | RuntimeException e) {
        throw ArchiveRefused.corrupt(e);
      }
      if (n > 0) {
        unpacked(n);
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      // Skipped bytes are unpacked all the same: read, so that they are counted.
      int most = (int) Math.min(n, 8192);
      return Math.max(0, read(new byte[most], 0, most));
    }

    @Override
    public void close() {}
  }

  /** The archive's bytes read so far, before decompression. */
  private static final class CountingStream extends FilterInputStream {
    long count;

    CountingStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] target, int offset, int length) throws IOException {
      int n = super.read(target, offset, length);
      if (n > 0) {
        count += n;
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long skipped = super.skip(n);
      count += skipped;
      return skipped;
    }
  }
}
