package org.substra.node.api.registration;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.multipart.FileUpload;
import org.substra.node.api.config.ApiConfig;
import org.substra.node.api.error.ApiException;
import org.substra.node.shared.archive.Bounds;

/** The files of a multipart registration: present and within the size limits. */
@ApplicationScoped
public class Uploads {

  private final long maxFileSize;
  private final Bounds archiveBounds;

  Uploads(ApiConfig config) {
    this.maxFileSize = config.uploads().maxFileSize().asLongValue();
    this.archiveBounds = Archives.bounds(config.uploads().archives());
  }

  public long maxFileSize() {
    return maxFileSize;
  }

  /** What one uploaded archive may unpack to. */
  public Bounds archiveBounds() {
    return archiveBounds;
  }

  public void requireFile(FileUpload file, String part) {
    if (file == null || file.uploadedFile() == null) {
      throw notComputed(part, "No file was submitted.");
    }
    requireSize(file, part);
  }

  public void requireSize(FileUpload file, String part) {
    if (file.size() > maxFileSize) {
      throw tooLarge(part);
    }
  }

  /** {@code content} of a streamed part, 413 as soon as it is over the limit. */
  public InputStream limited(InputStream content, String part) {
    return new FilterInputStream(content) {
      private long read;

      @Override
      public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
          count(1);
        }
        return b;
      }

      @Override
      public int read(byte[] target, int offset, int length) throws IOException {
        int n = super.read(target, offset, length);
        if (n > 0) {
          count(n);
        }
        return n;
      }

      private void count(int n) {
        read += n;
        if (read > maxFileSize) {
          throw tooLarge(part);
        }
      }
    };
  }

  private ApiException tooLarge(String part) {
    return ApiException.detail(
        413, "File too large: \"" + part + "\" is over " + maxFileSize + " bytes.");
  }

  /** The reference's envelope for a refused file: {@code {"detail": [{part: [msg]}], "key"}}. */
  public static ApiException notComputed(String part, String message) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("detail", List.of(Map.of(part, List.of(message))));
    body.put("key", "(not computed)");
    return new ApiException(400, body, Map.of());
  }
}
