package org.substra.node.api.registration;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
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
import org.substra.node.api.storage.Checksums;

/**
 * Zip and tar (any compression) archives that users upload: function archives are checked (REST
 * spec §4.3), data-sample archives are read for their folder checksum (§4.5).
 */
public final class Archives {

  private Archives() {}

  /** Why an archive is refused, in words for the user. */
  public static final class Refused extends RuntimeException {
    Refused(String message) {
      super(message, null, false, false);
    }
  }

  /** The names of the archive's files; refuses what is no archive or names outside itself. */
  public static List<String> files(Path archive, long maxFileSize) {
    List<String> files = new ArrayList<>();
    read(archive, maxFileSize, (name, entry, content) -> files.add(name));
    return files;
  }

  /** Checks a function archive: a {@code Dockerfile} at its root and at least one other file. */
  public static void checkFunction(Path archive, long maxFileSize) {
    List<String> files = files(archive, maxFileSize);
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
  public static List<String> fileDigests(Path archive, long maxFileSize) {
    try (InputStream raw = Files.newInputStream(archive)) {
      return fileDigests(raw, maxFileSize);
    } catch (IOException e) {
      throw new Refused("Archive must be zip or tar (" + e.getMessage() + ").");
    }
  }

  /** {@link #fileDigests(Path, long)} of an archive being read, e.g. while it is uploaded. */
  public static List<String> fileDigests(InputStream archive, long maxFileSize) {
    List<String> digests = new ArrayList<>();
    read(
        archive,
        maxFileSize,
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

  private static void read(Path archive, long maxFileSize, EntryVisitor visitor) {
    try (InputStream raw = Files.newInputStream(archive)) {
      read(raw, maxFileSize, visitor);
    } catch (IOException e) {
      throw new Refused("Archive must be zip or tar (" + e.getMessage() + ").");
    }
  }

  private static void read(InputStream archive, long maxFileSize, EntryVisitor visitor) {
    try (InputStream raw = new BufferedInputStream(archive);
        ArchiveInputStream<?> entries = open(raw)) {
      for (ArchiveEntry entry; (entry = entries.getNextEntry()) != null; ) {
        if (entry.isDirectory()) {
          continue;
        }
        String name = safeName(entry.getName());
        if (entry.getSize() > maxFileSize) {
          throw new Refused("File too large: \"" + name + "\" is over " + maxFileSize + " bytes.");
        }
        visitor.visit(name, entry, entries);
      }
    } catch (IOException e) {
      throw new Refused("Archive must be zip or tar (" + e.getMessage() + ").");
    }
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
