package org.substra.node.api.error;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A refusal with the status and JSON body the Substra SDK expects (REST spec §1.6): {@code
 * {"detail": ...}} or field errors.
 */
public class ApiException extends RuntimeException {

  private final int status;
  private final transient Map<String, Object> body;
  private final transient Map<String, String> headers;

  public ApiException(int status, Map<String, Object> body, Map<String, String> headers) {
    super(String.valueOf(body.get("detail")), null, false, false);
    this.status = status;
    this.body = body;
    this.headers = headers;
  }

  public static ApiException detail(int status, String detail) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("detail", detail);
    return new ApiException(status, body, Map.of());
  }

  public static ApiException field(int status, String field, String message) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put(field, List.of(message));
    return new ApiException(status, body, Map.of());
  }

  /** 401 with the challenge of the Token scheme. */
  public static ApiException unauthenticated(String detail) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("detail", detail);
    return new ApiException(401, body, Map.of("WWW-Authenticate", "Token"));
  }

  /** {@code found}, or the reference's 404 for a detail route of {@code model}. */
  public static <T> T found(T found, String model) {
    if (found == null) {
      throw detail(404, "No " + model + " matches the given query.");
    }
    return found;
  }

  public int status() {
    return status;
  }

  public Map<String, Object> body() {
    return body;
  }

  public Map<String, String> headers() {
    return headers;
  }
}
