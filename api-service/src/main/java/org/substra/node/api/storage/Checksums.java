package org.substra.node.api.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** SHA-256 digests as Substra computes them. */
public final class Checksums {

  private Checksums() {}

  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String file(Path file) {
    MessageDigest digest = sha256();
    byte[] buffer = new byte[64 * 1024];
    try (InputStream in = Files.newInputStream(file)) {
      for (int read; (read = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, read);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  /**
   * The folder hash of data samples (Python {@code checksumdir.dirhash(dir, "sha256")}) from the
   * digests of its regular files, in any order: sorted, then hashed together, names left out.
   * compute-service checks samples against it, so both must agree.
   */
  public static String folder(List<String> fileDigests) {
    List<String> digests = new ArrayList<>(fileDigests);
    digests.sort(null);
    MessageDigest digest = sha256();
    for (String each : digests) {
      digest.update(each.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
