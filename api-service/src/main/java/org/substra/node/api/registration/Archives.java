package org.substra.node.api.registration;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.substra.node.api.config.ApiConfig;
import org.substra.node.api.storage.Checksums;
import org.substra.node.shared.archive.ArchiveReader;
import org.substra.node.shared.archive.ArchiveRefused;
import org.substra.node.shared.archive.Bounds;

/**
 * Zip and tar (any compression) archives that users upload: function archives are checked (REST
 * spec §4.3), data-sample archives are read for their folder checksum (§4.5). Either is refused
 * when it unpacks to more than its {@link Bounds}, counted by node-shared's {@link ArchiveReader}:
 * the reader with which compute-service unpacks them, and would refuse them too.
 */
public final class Archives {

  private Archives() {}

  /** What one uploaded archive may unpack to, as configured. */
  public static Bounds bounds(ApiConfig.Uploads.Archives config) {
    return new Bounds(
        config.maxSize().asLongValue(),
        config.maxEntries(),
        config.maxRatio(),
        config.ratioGrace().asLongValue());
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
    read(archive, maxFileSize, bounds, (name, content) -> files.add(name));
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
        (name, content) -> {
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
    void visit(String name, InputStream content) throws IOException;
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
    try (ArchiveReader entries = ArchiveReader.open(archive, bounds)) {
      for (ArchiveReader.Entry entry; (entry = entries.next()) != null; ) {
        if (!entry.directory()) {
          String name = safeName(entry.name());
          if (entry.declaredSize() > maxFileSize) {
            throw new Refused(
                "File too large: \"" + name + "\" is over " + maxFileSize + " bytes.");
          }
          visitor.visit(name, entry.content());
        }
      }
    } catch (ArchiveRefused refused) {
      throw new Refused(message(refused));
    } catch (IOException e) {
      throw new Refused("Archive must be zip or tar (" + e.getMessage() + ").");
    }
  }

  /** The reader's refusal in words for the user, naming the bound it exceeded. */
  private static String message(ArchiveRefused refused) {
    return switch (refused.reason()) {
      case NOT_AN_ARCHIVE -> "Archive must be zip or tar.";
      case CORRUPT -> "Archive must be zip or tar (" + refused.getCause().getMessage() + ").";
      case OVER_BOUND ->
          switch (refused.bound()) {
            case ENTRIES ->
                "The archive has more than "
                    + refused.limit()
                    + " files and folders, the most this node accepts (maximum number of"
                    + " entries).";
            case SIZE ->
                "The archive unpacks to more than "
                    + Bounds.inUnits(refused.limit())
                    + ", the most this node accepts (maximum unpacked size).";
            case RATIO ->
                "The archive unpacks to more than "
                    + refused.limit()
                    + " times its own size, the most this node accepts (maximum compression"
                    + " ratio); send data this compressible as a plain tar or an uncompressed zip.";
          };
    };
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
