package org.substra.node.orchestrator.asset;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.substra.node.orchestrator.error.OrchestrationException;
import org.substra.node.orchestrator.protocol.Addressable;

/**
 * Field checks of the cross-cutting rules (spec §3.1). Errors are collected per field and reported
 * together, sorted by field, in the reference's wording ({@code key: must be a valid UUID; name:
 * the length must be between 1 and 100.}), as one INVALID_ARGUMENT.
 */
public final class Validator {

  private static final Pattern UUID =
      Pattern.compile("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$");
  private static final Pattern CHECKSUM = Pattern.compile("^[0-9a-fA-F]{64}$");
  private static final int MAX_LENGTH = 100;

  private final String resource;
  private final Map<String, String> errors = new TreeMap<>();

  private Validator(String resource) {
    this.resource = resource;
  }

  public static Validator of(String resource) {
    return new Validator(resource);
  }

  public static boolean isUuid(String value) {
    return UUID.matcher(value).matches();
  }

  public Validator uuid(String field, String value) {
    if (value.isEmpty()) {
      return error(field, "cannot be blank");
    }
    return check(field, isUuid(value), "must be a valid UUID");
  }

  /** Length counted in UTF-8 bytes, as Go does. */
  public Validator name(String field, String value) {
    return length(field, value, 1);
  }

  public Validator optionalName(String field, String value) {
    return length(field, value, 0);
  }

  private Validator length(String field, String value, int min) {
    int bytes = value.getBytes(StandardCharsets.UTF_8).length;
    if (min > 0 && bytes == 0) {
      return error(field, "cannot be blank");
    }
    return check(field, bytes <= MAX_LENGTH, "the length must be between " + min + " and 100");
  }

  public Validator notBlank(String field, String value) {
    return check(field, !value.isEmpty(), "cannot be blank");
  }

  public Validator present(String field, boolean present) {
    return check(field, present, "cannot be blank");
  }

  public Validator metadata(Map<String, String> metadata) {
    for (Map.Entry<String, String> entry : metadata.entrySet()) {
      if (bytes(entry.getKey()) > MAX_LENGTH) {
        return error("metadata", "metadata key \"" + entry.getKey() + "\" is too long");
      }
      if (bytes(entry.getValue()) > MAX_LENGTH) {
        return error("metadata", "metadata value for key \"" + entry.getKey() + "\" is too long");
      }
    }
    return this;
  }

  public Validator checksum(String field, String value) {
    if (value.isEmpty()) {
      return error(field, "cannot be blank");
    }
    return check(field, CHECKSUM.matcher(value).matches(), "must be a valid hexadecimal checksum");
  }

  /** A present Addressable with a SHA-256 checksum and an absolute URL (spec §3.1). */
  public Validator addressable(String field, boolean present, Addressable addressable) {
    if (!present) {
      return error(field, "cannot be blank");
    }
    if (addressable.getChecksum().isEmpty()
        || !CHECKSUM.matcher(addressable.getChecksum()).matches()) {
      return error(field, "checksum: must be a valid hexadecimal checksum");
    }
    if (!Urls.isUrl(addressable.getStorageAddress())) {
      return error(field, "storage_address: must be a valid URL");
    }
    return check(
        field,
        addressable.getStorageAddress().length() <= 200,
        "storage_address: the length must be no more than 200");
  }

  public Validator check(String field, boolean valid, String message) {
    return valid ? this : error(field, message);
  }

  public Validator error(String field, String message) {
    errors.putIfAbsent(field, message);
    return this;
  }

  /** Throws INVALID_ARGUMENT naming every failed field, if any. */
  public void validate() {
    if (errors.isEmpty()) {
      return;
    }
    StringBuilder details = new StringBuilder();
    errors.forEach(
        (field, message) -> {
          if (!details.isEmpty()) {
            details.append("; ");
          }
          details.append(field).append(": ").append(message);
        });
    throw OrchestrationException.invalid(resource, details.append('.').toString());
  }

  private static int bytes(String value) {
    return value.getBytes(StandardCharsets.UTF_8).length;
  }
}
