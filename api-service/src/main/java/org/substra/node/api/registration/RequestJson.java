package org.substra.node.api.registration;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.substra.node.api.error.ApiException;
import org.substra.node.orchestrator.protocol.NewPermissions;

/**
 * The fields of a registration body, read with the rules of REST spec §7.4: every violation is a
 * 400 naming the field, unknown fields are ignored, explicit nulls mean "not given".
 */
public final class RequestJson {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final java.util.regex.Pattern UUID_TEXT =
      java.util.regex.Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  private final JsonNode node;

  private RequestJson(JsonNode node) {
    this.node = node;
  }

  /** The JSON object in {@code text} (a multipart {@code json} field or a request body). */
  public static RequestJson parse(String text, String what) {
    if (text == null || text.isBlank()) {
      throw ApiException.detail(400, "Missing " + what + ".");
    }
    try {
      return of(JSON.readTree(text));
    } catch (JsonProcessingException e) {
      throw ApiException.detail(400, "Malformed JSON in " + what + ": " + e.getOriginalMessage());
    }
  }

  public static RequestJson of(JsonNode node) {
    if (node == null || !node.isObject()) {
      throw ApiException.detail(400, "Expected a JSON object.");
    }
    return new RequestJson(node);
  }

  public JsonNode node() {
    return node;
  }

  public boolean has(String field) {
    return node.hasNonNull(field);
  }

  /** A name: required, 1..100 characters. */
  public String name() {
    String name = text("name", null);
    if (name == null || name.isEmpty()) {
      throw ApiException.field(400, "name", "This field is required.");
    }
    if (name.length() > 100) {
      throw ApiException.field(400, "name", "Ensure this field has no more than 100 characters.");
    }
    return name;
  }

  /** A string field, {@code fallback} when absent or null. */
  public String text(String field, String fallback) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return fallback;
    }
    if (!value.isTextual()) {
      throw ApiException.field(400, field, "Expected a string.");
    }
    return value.asText();
  }

  /** A client-chosen key: required and a UUID. */
  public String uuid(String field) {
    String value = text(field, null);
    if (value == null) {
      throw ApiException.field(400, field, "This field is required.");
    }
    return uuid(field, value);
  }

  public static String uuid(String field, String value) {
    if (!UUID_TEXT.matcher(value).matches()) {
      throw ApiException.field(400, field, "\"" + value + "\" is not a valid UUID.");
    }
    return value.toLowerCase(java.util.Locale.ROOT);
  }

  /** A list of strings; empty when absent. */
  public List<String> strings(String field) {
    JsonNode value = node.get(field);
    List<String> strings = new ArrayList<>();
    if (value == null || value.isNull()) {
      return strings;
    }
    if (!value.isArray()) {
      throw ApiException.field(400, field, "Expected a list of strings.");
    }
    for (JsonNode each : value) {
      if (!each.isTextual()) {
        throw ApiException.field(400, field, "Expected a list of strings.");
      }
      strings.add(each.asText());
    }
    return strings;
  }

  /** Metadata (§7.4): string to string, no {@code __} in keys, keys and values ≤ 100 chars. */
  public Map<String, String> metadata() {
    return metadata(node.get("metadata"));
  }

  public static Map<String, String> metadata(JsonNode value) {
    Map<String, String> metadata = new LinkedHashMap<>();
    if (value == null || value.isNull()) {
      return metadata;
    }
    if (!value.isObject()) {
      throw ApiException.field(400, "metadata", "Expected a JSON object of strings.");
    }
    for (var entry : value.properties()) {
      if (entry.getKey().contains("__")) {
        throw ApiException.detail(
            400, "\"__\" cannot be used in a metadata key, please use simple underscore instead");
      }
    }
    for (var entry : value.properties()) {
      JsonNode item = entry.getValue();
      if (!item.isTextual()) {
        throw ApiException.field(
            400, "metadata", "The value of \"" + entry.getKey() + "\" must be a string.");
      }
      if (entry.getKey().length() > 100 || item.asText().length() > 100) {
        throw ApiException.field(
            400,
            "metadata",
            "Metadata keys and values have at most 100 characters (\"" + entry.getKey() + "\").");
      }
      metadata.put(entry.getKey(), item.asText());
    }
    return metadata;
  }

  /** Permissions {@code {"public", "authorized_ids"}}; private to the owner when absent. */
  public NewPermissions permissions(String field) {
    JsonNode value = node.get(field);
    NewPermissions.Builder permissions = NewPermissions.newBuilder();
    if (value == null || value.isNull()) {
      return permissions.build();
    }
    if (!value.isObject()) {
      throw ApiException.field(
          400, field, "Expected {\"public\": ..., \"authorized_ids\": [...]}.");
    }
    JsonNode isPublic = value.get("public");
    if (isPublic != null && !isPublic.isNull() && !isPublic.isBoolean()) {
      throw ApiException.field(400, field, "\"public\" must be true or false.");
    }
    permissions.setPublic(isPublic != null && isPublic.asBoolean());
    permissions.addAllAuthorizedIds(of(value).strings("authorized_ids"));
    return permissions.build();
  }
}
