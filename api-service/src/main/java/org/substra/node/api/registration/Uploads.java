package org.substra.node.api.registration;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.multipart.FileUpload;
import org.substra.node.api.config.ApiConfig;
import org.substra.node.api.error.ApiException;

/** The files of a multipart registration: present and within the size limit. */
@ApplicationScoped
public class Uploads {

  private final long maxFileSize;

  Uploads(ApiConfig config) {
    this.maxFileSize = config.uploads().maxFileSize().asLongValue();
  }

  public long maxFileSize() {
    return maxFileSize;
  }

  public void requireFile(FileUpload file, String part) {
    if (file == null || file.uploadedFile() == null) {
      throw notComputed(part, "No file was submitted.");
    }
    requireSize(file, part);
  }

  public void requireSize(FileUpload file, String part) {
    if (file.size() > maxFileSize) {
      throw ApiException.detail(
          413, "File too large: \"" + part + "\" is over " + maxFileSize + " bytes.");
    }
  }

  /** The reference's envelope for a refused file: {@code {"detail": [{part: [msg]}], "key"}}. */
  public static ApiException notComputed(String part, String message) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("detail", List.of(Map.of(part, List.of(message))));
    body.put("key", "(not computed)");
    return new ApiException(400, body, Map.of());
  }
}
