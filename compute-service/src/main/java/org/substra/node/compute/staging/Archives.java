package org.substra.node.compute.staging;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.substra.node.compute.config.ComputeConfig;
import org.substra.node.shared.archive.ArchiveReader;
import org.substra.node.shared.archive.ArchiveRefused;
import org.substra.node.shared.archive.Bounds;

/**
 * Safe extraction of function archives and data samples: zip, or tar plain or compressed. Entries
 * escaping the destination and links are refused (worker-spec §4.2, path traversal), and so is an
 * archive that unpacks to more than its {@link Bounds} (a zip bomb). Nothing of a refused archive
 * is left in the destination.
 *
 * <p>The archive is read, and bounded, by node-shared's {@link ArchiveReader}, the reader with
 * which api-service checks uploads against the same bounds.
 */
public final class Archives {

  private Archives() {}

  /** Thrown for an archive we cannot or must not unpack: the asset is bad, not our service. */
  public static final class BadArchive extends IOException {
    public BadArchive(String message) {
      super(message);
    }
  }

  /** What unpacking one archive may produce, as configured. */
  public static Bounds bounds(ComputeConfig.Archives config) {
    return new Bounds(
        config.maxSize().asLongValue(),
        config.maxEntries(),
        config.maxRatio(),
        config.ratioGrace().asLongValue());
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
    try (ArchiveReader entries = ArchiveReader.open(Files.newInputStream(archive), bounds)) {
      byte[] buffer = new byte[64 * 1024];
      for (ArchiveReader.Entry entry; (entry = entries.next()) != null; ) {
        Path target = root.resolve(entry.name()).normalize();
        if (!target.startsWith(root)) {
          throw new BadArchive("archive entry " + entry.name() + " leaves its directory");
        }
        if (entry.link()) {
          throw new BadArchive("archive entry " + entry.name() + " is a link");
        }
        try {
          if (entry.directory()) {
            Files.createDirectories(target);
          } else {
            Files.createDirectories(target.getParent());
            try (OutputStream out =
                Files.newOutputStream(
                    target,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE)) {
              // The reader refuses, before they are written, bytes over the bounds.
              InputStream content = entry.content();
              for (int n; (n = content.read(buffer)) > 0; ) {
                out.write(buffer, 0, n);
              }
            }
          }
        } catch (FileAlreadyExistsException e) {
          throw new BadArchive("archive entry " + entry.name() + " is both a file and a directory");
        }
      }
    } catch (ArchiveRefused refused) {
      throw badArchive(refused);
    }
  }

  /** The reader's refusal, naming the setting of the bound it exceeded. */
  private static BadArchive badArchive(ArchiveRefused refused) {
    return new BadArchive(
        switch (refused.reason()) {
          case NOT_AN_ARCHIVE -> "not a zip or tar archive";
          case CORRUPT -> "corrupt archive: " + refused.getCause().getMessage();
          case OVER_BOUND ->
              switch (refused.bound()) {
                case ENTRIES ->
                    "the archive has more than "
                        + refused.limit()
                        + " entries (bound compute.archives.max-entries)";
                case SIZE ->
                    "the archive unpacks to more than "
                        + Bounds.inUnits(refused.limit())
                        + " (bound compute.archives.max-size)";
                case RATIO ->
                    "the archive unpacks to more than "
                        + refused.limit()
                        + " times the size of what was read of it (compression ratio bound"
                        + " compute.archives.max-ratio)";
              };
        });
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
}
