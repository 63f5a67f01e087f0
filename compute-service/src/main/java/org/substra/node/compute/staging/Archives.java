package org.substra.node.compute.staging;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.apache.commons.compress.archivers.ArchiveEntry;
import org.apache.commons.compress.archivers.ArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;
import org.apache.commons.compress.compressors.CompressorException;
import org.apache.commons.compress.compressors.CompressorStreamFactory;

/**
 * Safe extraction of function archives and data samples: zip, or tar plain or compressed. Entries
 * escaping the destination and links are refused (worker-spec §4.2, path traversal).
 */
public final class Archives {

  private Archives() {}

  /** Thrown for an archive we cannot or must not unpack: the asset is bad, not our service. */
  public static final class BadArchive extends IOException {
    public BadArchive(String message) {
      super(message);
    }
  }

  public static void extract(Path archive, Path destination) throws IOException {
    Files.createDirectories(destination);
    Path root = destination.toAbsolutePath().normalize();
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(archive));
        ArchiveInputStream<?> entries = open(raw)) {
      for (ArchiveEntry entry = next(entries); entry != null; entry = next(entries)) {
        Path target = root.resolve(entry.getName()).normalize();
        if (!target.startsWith(root)) {
          throw new BadArchive("archive entry " + entry.getName() + " leaves its directory");
        }
        if (entry instanceof TarArchiveEntry tar && (tar.isSymbolicLink() || tar.isLink())) {
          throw new BadArchive("archive entry " + entry.getName() + " is a link");
        }
        if (entry.isDirectory()) {
          Files.createDirectories(target);
        } else {
          Files.createDirectories(target.getParent());
          Files.copy(entries, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
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
