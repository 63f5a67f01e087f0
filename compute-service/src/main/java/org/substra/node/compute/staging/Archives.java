package org.substra.node.compute.staging;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.apache.commons.compress.archivers.ArchiveEntry;
import org.apache.commons.compress.archivers.ArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;
import org.apache.commons.compress.compressors.CompressorException;
import org.apache.commons.compress.compressors.CompressorStreamFactory;
import org.substra.node.compute.config.ComputeConfig;

/**
 * Safe extraction of function archives and data samples: zip, or tar plain or compressed. Entries
 * escaping the destination and links are refused (worker-spec §4.2, path traversal), and so is an
 * archive that unpacks to more than its {@link Bounds} (a zip bomb). Nothing of a refused archive
 * is left in the destination.
 *
 * <p>api-service checks uploads against the same bounds with its own reader ({@code
 * registration.Archives}): no shared main-code module exists for the two.
 */
public final class Archives {

  private Archives() {}

  /** Thrown for an archive we cannot or must not unpack: the asset is bad, not our service. */
  public static final class BadArchive extends IOException {
    public BadArchive(String message) {
      super(message);
    }
  }

  /**
   * What unpacking one archive may produce, counted on the bytes actually written (the sizes that
   * entries declare are never trusted).
   *
   * @param maxSize bytes written in all
   * @param maxEntries entries, directories included
   * @param maxRatio bytes written per byte of the archive read so far
   * @param ratioGrace bytes written before the ratio is checked
   */
  public record Bounds(long maxSize, long maxEntries, long maxRatio, long ratioGrace) {

    public static Bounds of(ComputeConfig.Archives config) {
      return new Bounds(
          config.maxSize().asLongValue(),
          config.maxEntries(),
          config.maxRatio(),
          config.ratioGrace().asLongValue());
    }
  }

  /**
   * Unpacks {@code archive} into {@code destination}, a new or empty directory; when the archive is
   * refused, or unpacking fails, the destination is left as it was.
   */
  public static void extract(Path archive, Path destination, Bounds bounds) throws IOException {
    boolean existed = Files.isDirectory(destination);
    Files.createDirectories(destination);
    try {
      unpack(archive, destination.toAbsolutePath().normalize(), bounds);
    } catch (IOException | RuntimeException e) {
      try {
        removeUnpacked(destination, existed);
      } catch (IOException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
  }

  private static void unpack(Path archive, Path root, Bounds bounds) throws IOException {
    try (CountingStream raw = new CountingStream(Files.newInputStream(archive));
        ArchiveInputStream<?> entries = open(new BufferedInputStream(raw))) {
      Tally tally = new Tally(bounds, raw);
      byte[] buffer = new byte[64 * 1024];
      for (ArchiveEntry entry = next(entries); entry != null; entry = next(entries)) {
        tally.entry();
        Path target = root.resolve(entry.getName()).normalize();
        if (!target.startsWith(root)) {
          throw new BadArchive("archive entry " + entry.getName() + " leaves its directory");
        }
        if (entry instanceof TarArchiveEntry tar && (tar.isSymbolicLink() || tar.isLink())) {
          throw new BadArchive("archive entry " + entry.getName() + " is a link");
        }
        try {
          if (entry.isDirectory()) {
            Files.createDirectories(target);
          } else {
            Files.createDirectories(target.getParent());
            try (OutputStream out =
                Files.newOutputStream(
                    target,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE)) {
              for (int n; (n = read(entries, buffer)) > 0; ) {
                tally.wrote(n);
                out.write(buffer, 0, n);
              }
            }
          }
        } catch (FileAlreadyExistsException e) {
          throw new BadArchive(
              "archive entry " + entry.getName() + " is both a file and a directory");
        }
        // What an entry holds beyond what was written (a directory's data) is unpacked too when
        // the reader skips it: counted all the same.
        for (int n; (n = read(entries, buffer)) > 0; ) {
          tally.wrote(n);
        }
      }
    }
  }

  /** Counts what one extraction produced against its bounds. */
  private static final class Tally {
    private final Bounds bounds;
    private final CountingStream archive;
    private long entries;
    private long written;

    Tally(Bounds bounds, CountingStream archive) {
      this.bounds = bounds;
      this.archive = archive;
    }

    void entry() throws BadArchive {
      if (++entries > bounds.maxEntries()) {
        throw new BadArchive(
            "the archive has more than "
                + bounds.maxEntries()
                + " entries (bound compute.archives.max-entries)");
      }
    }

    /** Called before {@code n} more bytes are written: refuses what would exceed a bound. */
    void wrote(int n) throws BadArchive {
      written += n;
      if (written > bounds.maxSize()) {
        throw new BadArchive(
            "the archive unpacks to more than "
                + bytes(bounds.maxSize())
                + " (bound compute.archives.max-size)");
      }
      if (written > bounds.ratioGrace() && written > bounds.maxRatio() * archive.count) {
        throw new BadArchive(
            "the archive unpacks to more than "
                + bounds.maxRatio()
                + " times the size of what was read of it (compression ratio bound"
                + " compute.archives.max-ratio)");
      }
    }
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

  static String bytes(long bytes) {
    long unit = 1024L * 1024 * 1024;
    for (String name : new String[] {"GiB", "MiB", "KiB"}) {
      if (bytes >= unit && bytes % unit == 0) {
        return bytes / unit + " " + name;
      }
      unit /= 1024;
    }
    return bytes + " bytes";
  }

  private static void removeUnpacked(Path destination, boolean existed) throws IOException {
    if (!existed) {
      AssetCache.deleteTree(destination);
      return;
    }
    try (DirectoryStream<Path> unpacked = Files.newDirectoryStream(destination)) {
      for (Path each : unpacked) {
        AssetCache.deleteTree(each);
      }
    }
  }

  /** The archive is a local file: failing to read it means it is corrupt, the asset's fault. */
  private static int read(ArchiveInputStream<?> entries, byte[] buffer) throws BadArchive {
    try {
      return entries.read(buffer);
    } catch (IOException | RuntimeException e) {
      throw new BadArchive("corrupt archive: " + e.getMessage());
    }
  }

  /** A corrupt archive is the asset's fault, not ours. */
  private static ArchiveEntry next(ArchiveInputStream<?> entries) throws BadArchive {
    try {
      return entries.getNextEntry();
    } catch (IOException | RuntimeException e) {
      throw new BadArchive("corrupt archive: " + e.getMessage());
    }
  }

  private static ArchiveInputStream<?> open(InputStream raw) throws IOException {
    raw.mark(8);
    byte[] head = raw.readNBytes(4);
    raw.reset();
    if (head.length == 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
      return new ZipArchiveInputStream(raw);
    }
    InputStream tar = raw;
    try {
      String compression = CompressorStreamFactory.detect(raw);
      tar =
          new BufferedInputStream(
              new CompressorStreamFactory().createCompressorInputStream(compression, raw));
    } catch (CompressorException notCompressed) {
      // a plain tar, or not an archive at all: the tar reader tells
    }
    byte[] header = peek(tar);
    if (header.length < 512 || !TarArchiveInputStream.matches(header, header.length)) {
      throw new BadArchive("not a zip or tar archive");
    }
    return new TarArchiveInputStream(tar);
  }

  private static byte[] peek(InputStream in) throws IOException {
    in.mark(512);
    byte[] head = in.readNBytes(512);
    in.reset();
    return head;
  }
}
