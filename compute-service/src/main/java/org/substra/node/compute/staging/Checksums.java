package org.substra.node.compute.staging;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/** The checksums both api-service and compute-service compute (worker-spec §2.4, §2.7). */
public final class Checksums {

  private Checksums() {}

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String sha256(Path file) throws IOException {
    return HexFormat.of().formatHex(digest(file, sha256()).digest());
  }

  public static String sha256(byte[] bytes) {
    return HexFormat.of().formatHex(sha256().digest(bytes));
  }

  /** A model: sha256 over its bytes followed by the UTF-8 key of the task that produced it. */
  public static String model(Path file, String taskKey) throws IOException {
    MessageDigest digest = digest(file, sha256());
    digest.update(taskKey.getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(digest.digest());
  }

  /**
   * Python {@code checksumdir.dirhash(dir, "sha256")}: the sorted hex digests of every regular file
   * (names ignored, hidden files included, symlinks not followed) hashed together.
   */
  public static String directory(Path dir) throws IOException {
    List<String> digests = new ArrayList<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
          digests.add(sha256(file));
        }
      }
    }
    if (digests.isEmpty()) {
      throw new IOException("directory " + dir + " has no file");
    }
    digests.sort(null);
    MessageDigest all = sha256();
    for (String digest : digests) {
      all.update(digest.getBytes(StandardCharsets.UTF_8));
    }
    return HexFormat.of().formatHex(all.digest());
  }

  private static MessageDigest digest(Path file, MessageDigest digest) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[1 << 16];
      for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
        digest.update(buffer, 0, read);
      }
    }
    return digest;
  }
}
