package org.substra.node.api.datasample;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.substra.node.api.error.ApiException;
import org.substra.node.api.storage.Checksums;

/**
 * Folders on the server registered as data samples ({@code path}). The user names the folder; this
 * service and compute-service may read more than the user may, so the folder must really lie under
 * the data sample root and hold only files and folders: a link could name any file the services can
 * read (compute-service checks again when it stages the folder).
 */
final class ServerFolders {

  private ServerFolders() {}

  /** A folder fit to be a sample, and its checksum (checksumdir). */
  record Checked(Path folder, String checksum) {}

  /** Checks {@code path} and hashes its files in one walk that never follows a link; 400 else. */
  static Checked check(Path dataSampleRoot, String path) {
    Path root = dataSampleRoot.toAbsolutePath().normalize();
    Path folder = Path.of(path).toAbsolutePath().normalize();
    if (!folder.startsWith(root)) {
      throw refused("The path \"" + path + "\" is not under the data sample folder " + root + ".");
    }
    if (Files.isSymbolicLink(folder)) {
      throw refused("The path \"" + path + "\" is a symbolic link.");
    }
    if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
      throw refused("The path \"" + path + "\" is not a folder on the server.");
    }
    Path real;
    try {
      real = folder.toRealPath();
      if (!real.startsWith(root.toRealPath())) {
        throw refused(
            "The path \""
                + path
                + "\" leads out of the data sample folder "
                + root
                + " through a symbolic link.");
      }
    } catch (IOException e) {
      throw refused("The folder \"" + path + "\" cannot be read.");
    }
    List<String> digests = new ArrayList<>();
    try {
      Files.walkFileTree(real, new Hashing(path, real, digests));
    } catch (IOException e) {
      throw refused("The folder \"" + path + "\" cannot be read.");
    }
    if (digests.isEmpty()) {
      throw refused("The folder \"" + path + "\" is empty: it holds no file.");
    }
    return new Checked(folder, Checksums.folder(digests));
  }

  /** Refuses links and whatever is neither file nor folder; hashes each file without following. */
  private static final class Hashing extends SimpleFileVisitor<Path> {
    private final String path;
    private final Path folder;
    private final List<String> digests;

    Hashing(String path, Path folder, List<String> digests) {
      this.path = path;
      this.folder = folder;
      this.digests = digests;
    }

    @Override
    public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
      String name = folder.relativize(file).toString();
      if (attributes.isSymbolicLink()) {
        throw refused(
            "The folder \"" + path + "\" holds a symbolic link, \"" + name + "\": not allowed.");
      }
      if (!attributes.isRegularFile()) {
        throw refused(
            "The folder \""
                + path
                + "\" holds \""
                + name
                + "\", which is neither file nor folder.");
      }
      MessageDigest digest = Checksums.sha256();
      byte[] buffer = new byte[64 * 1024];
      // never through a link, even one that took the file's place since it was listed
      try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
        for (int read; (read = in.read(buffer)) > 0; ) {
          digest.update(buffer, 0, read);
        }
      }
      digests.add(HexFormat.of().formatHex(digest.digest()));
      return FileVisitResult.CONTINUE;
    }
  }

  private static ApiException refused(String message) {
    return ApiException.detail(400, message);
  }
}
