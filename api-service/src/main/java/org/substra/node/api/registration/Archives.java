package org.substra.node.api.registration;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.ArchiveEntry;
import org.apache.commons.compress.archivers.ArchiveException;
import org.apache.commons.compress.archivers.ArchiveInputStream;
import org.apache.commons.compress.archivers.ArchiveStreamFactory;
import org.apache.commons.compress.compressors.CompressorException;
import org.apache.commons.compress.compressors.CompressorStreamFactory;
import org.substra.node.api.config.ApiConfig;
import org.substra.node.api.storage.Checksums;

/**
 * Zip and tar (any compression) archives that users upload: function archives are checked (REST
 * spec §4.3), data-sample archives are read for their folder checksum (§4.5). Either is refused
 * when it unpacks to more than its {@link Bounds}: compute-service, which unpacks them, would
 * refuse it too ({@code staging.Archives}, its own copy of these counts: no shared main-code module
 * exists for the two services).
 */
public final class Archives {

  private Archives() {}

  /**
   * What one archive may unpack to, counted on the bytes actually unpacked (the sizes that entries
   * declare are never trusted).
   *
   * @param maxSize bytes in all
   * @param maxEntries entries, directories included
   * @param maxRatio bytes unpacked per byte of the archive read so far
   * @param ratioGrace bytes unpacked before the ratio is checked
   */
  public record Bounds(long maxSize, long maxEntries, long maxRatio, long ratioGrace) {

    public static Bounds of(ApiConfig.Uploads.Archives config) {
      return new Bounds(
          config.maxSize().asLongValue(),
          config.maxEntries(),
          config.maxRatio(),
          config.ratioGrace().asLongValue());
    }
  }

  /** Why an archive is refused, in words for the user. */
  public static final class Refused extends RuntimeException {
    Refused(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * The names of the archive's files; refuses what is no archive, names outside itself or is over
   * its bounds.
   */
  public static List<String> files(Path archive, long maxFileSize, Bounds bounds) {
    List<String> files = new ArrayList<>();
    read(archive, maxFileSize, bounds, (name, entry, content) -> files.add(name));
    return files;
  }

  /** Checks a function archive: a {@code Dockerfile} at its root and at least one other file. */
  public static void checkFunction(Path archive, long maxFileSize, Bounds bounds) {
    List<String> files = files(archive, maxFileSize, bounds);
    if (!files.contains("Dockerfile")) {
      throw new Refused("Ensure your archive contains a Dockerfile.");
    }
    if (files.size() < 2) {
      throw new Refused("Ensure your archive contains at least one python file.");
    }
  }

  /**
   * The SHA-256 of each file of the archive, read in one pass without extracting it: what the
   * folder checksum of a data sample needs. The archive must hold at least one file.
   */
  public static List<String> fileDigests(Path archive, long maxFileSize, Bounds bounds) {
    try (InputStream raw = Files.newInputStream(archive)) {
      return fileDigests(raw, maxFileSize, bounds);
    } catch (IOException e) {
      throw new Refused("Archive must be zip or tar (" + e.getMessage() + ").");
    }
  }

  /** {@link #fileDigests(Path, long, Bounds)} of an archive being read, e.g. while uploaded. */
  public static List<String> fileDigests(InputStream archive, long maxFileSize, Bounds bounds) {
    List<String> digests = new ArrayList<>();
    read(
        archive,
        maxFileSize,
        bounds,
        (name, entry, content) -> {
          java.security.MessageDigest digest = Checksums.sha256();
          byte[] buffer = new byte[64 * 1024];
          for (int read; (read = content.read(buffer)) > 0; ) {
            digest.update(buffer, 0, read);
          }
          digests.add(java.util.HexFormat.of().formatHex(digest.digest()));
        });
    if (digests.isEmpty()) {
      throw new Refused("The archive contains no file.");
    }
    return digests;
  }

  private interface EntryVisitor {
    void visit(String name, ArchiveEntry entry, InputStream content) throws IOException;
  }

  private static void read(Path archive, long maxFileSize, Bounds bounds, EntryVisitor visitor) {
    try (InputStream raw = Files.newInputStream(archive)) {
      read(raw, maxFileSize, bounds, visitor);
    } catch (IOException e) {
      throw new Refused("Archive must be zip or tar (" + e.getMessage() + ").");
    }
  }

  private static void read(
      InputStream archive, long maxFileSize, Bounds bounds, EntryVisitor visitor) {
    Tally tally = new Tally(bounds);
    try (InputStream raw = new BufferedInputStream(tally.archive(archive));
        ArchiveInputStream<?> entries = open(raw)) {
      for (ArchiveEntry entry; (entry = entries.getNextEntry()) != null; ) {
        tally.entry();
        InputStream content = tally.content(entries);
        if (!entry.isDirectory()) {
          String name = safeName(entry.getName());
          if (entry.getSize() > maxFileSize) {
            throw new Refused(
                "File too large: \"" + name + "\" is over " + maxFileSize + " bytes.");
          }
          visitor.visit(name, entry, content);
        }
        // The rest would be unpacked all the same when the reader skips it: counted too.
        content.transferTo(OutputStream.nullOutputStream());
      }
    } catch (IOException e) {
      throw new Refused("Archive must be zip or tar (" + e.getMessage() + ").");
    }
  }

  /** Counts what reading one archive unpacked, against its bounds. */
  private static final class Tally {
    private final Bounds bounds;
    private long archiveRead;
    private long entries;
    private long unpacked;

    Tally(Bounds bounds) {
      this.bounds = bounds;
    }

    /** The archive as stored, whose bytes read are counted. */
    InputStream archive(InputStream stored) {
      return new FilterInputStream(stored) {
        @Override
        public int read() throws IOException {
          int b = super.read();
          if (b >= 0) {
            archiveRead++;
          }
          return b;
        }

        @Override
        public int read(byte[] target, int offset, int length) throws IOException {
          int n = super.read(target, offset, length);
          if (n > 0) {
            archiveRead += n;
          }
          return n;
        }

        @Override
        public long skip(long n) throws IOException {
          long skipped = super.skip(n);
          archiveRead += skipped;
          return skipped;
        }
      };
    }

    void entry() {
      if (++entries > bounds.maxEntries()) {
        throw new Refused(
            "The archive has more than "
                + bounds.maxEntries()
                + " files and folders, the most this node accepts (maximum number of entries).");
      }
    }

    /** The current entry's content, counted as it is unpacked; closing it leaves the archive. */
    InputStream content(InputStream entries) {
      return new FilterInputStream(entries) {
        @Override
        public int read() throws IOException {
          byte[] one = new byte[1];
          return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] target, int offset, int length) throws IOException {
          int n = super.read(target, offset, length);
          if (n > 0) {
            unpacked(n);
          }
          return n;
        }

        @Override
        public long skip(long n) throws IOException {
          int most = (int) Math.min(n, 8192);
          return Math.max(0, read(new byte[most], 0, most));
        }

        @Override
        public void close() {}
      };
    }

    private void unpacked(int n) {
      unpacked += n;
      if (unpacked > bounds.maxSize()) {
        throw new Refused(
            "The archive unpacks to more than "
                + bytes(bounds.maxSize())
                + ", the most this node accepts (maximum unpacked size).");
      }
      if (unpacked > bounds.ratioGrace() && unpacked > bounds.maxRatio() * archiveRead) {
        throw new Refused(
            "The archive unpacks to more than "
                + bounds.maxRatio()
                + " times its own size, the most this node accepts (maximum compression ratio);"
                + " send data this compressible as a plain tar or an uncompressed zip.");
      }
    }
  }

  private static String bytes(long bytes) {
    long unit = 1024L * 1024 * 1024;
    for (String name : new String[] {"GiB", "MiB", "KiB"}) {
      if (bytes >= unit && bytes % unit == 0) {
        return bytes / unit + " " + name;
      }
      unit /= 1024;
    }
    return bytes + " bytes";
  }

  private static ArchiveInputStream<?> open(InputStream raw) throws IOException {
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
        throw new Refused("Archive must be zip or tar.");
      }
      return ArchiveStreamFactory.DEFAULT.createArchiveInputStream(format, content);
    } catch (ArchiveException e) {
      throw new Refused("Archive must be zip or tar.");
    }
  }

  /** The entry's path inside the archive; absolute paths and {@code ..} are refused. */
  private static String safeName(String name) {
    String normal = name.startsWith("./") ? name.substring(2) : name;
    Path path = Path.of(normal).normalize();
    if (normal.startsWith("/") || path.startsWith("..") || normal.contains("\\")) {
      throw new Refused("Archive contains a path outside itself: \"" + name + "\".");
    }
    return path.toString();
  }
}
