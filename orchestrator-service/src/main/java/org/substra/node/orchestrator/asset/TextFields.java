package org.substra.node.orchestrator.asset;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import java.util.List;
import java.util.Map;

/**
 * The one check every text of every request goes through before any handler sees it: control
 * characters are refused. PostgreSQL cannot store U+0000 in text at all (the orchestrator would
 * store the snapshot, then every organization's read model would fail to project the event), and
 * the other C0 characters and DEL in a name, key, address or tag are never meant and only break
 * logs, listings and filters downstream.
 *
 * <p>Free text may hold layout: the values of {@code metadata} maps (what users write there is
 * their own prose) accept tab, line feed and carriage return. Nothing else does.
 */
public final class TextFields {

  private static final String FREE_TEXT_MAP = "metadata";

  private TextFields() {}

  /**
   * The refusal for the first field of {@code message} (searched depth first, in field order)
   * holding a refused character, worded as {@link Validator} words its errors ({@code name: must
   * not contain control characters (U+0000)}), or {@code null} when every text is acceptable.
   */
  public static String refusal(Message message) {
    return refusal(message, "");
  }

  private static String refusal(Message message, String prefix) {
    for (Map.Entry<FieldDescriptor, Object> field : message.getAllFields().entrySet()) {
      FieldDescriptor descriptor = field.getKey();
      String path = prefix + descriptor.getName();
      if (descriptor.isMapField()) {
        boolean freeText = FREE_TEXT_MAP.equals(descriptor.getName());
        for (Object item : (List<?>) field.getValue()) {
          String found = entryRefusal((Message) item, path, freeText);
          if (found != null) {
            return found;
          }
        }
      } else if (descriptor.isRepeated()) {
        List<?> items = (List<?>) field.getValue();
        for (int i = 0; i < items.size(); i++) {
          String found = valueRefusal(descriptor, items.get(i), path + "[" + i + "]", false);
          if (found != null) {
            return found;
          }
        }
      } else {
        String found = valueRefusal(descriptor, field.getValue(), path, false);
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }

  private static String entryRefusal(Message entry, String path, boolean freeText) {
    FieldDescriptor keyField = entry.getDescriptorForType().findFieldByName("key");
    FieldDescriptor valueField = entry.getDescriptorForType().findFieldByName("value");
    Object key = entry.getField(keyField);
    if (key instanceof String text) {
      int bad = firstRefused(text, false);
      if (bad >= 0) {
        return path + " (a key): " + describe(text.charAt(bad));
      }
    }
    return valueRefusal(valueField, entry.getField(valueField), path + "[" + key + "]", freeText);
  }

  private static String valueRefusal(
      FieldDescriptor descriptor, Object value, String path, boolean freeText) {
    if (descriptor.getJavaType() == FieldDescriptor.JavaType.STRING) {
      String text = (String) value;
      int bad = firstRefused(text, freeText);
      return bad < 0 ? null : path + ": " + describe(text.charAt(bad));
    }
    if (descriptor.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
      return refusal((Message) value, path + ".");
    }
    return null;
  }

  /** Index of the first refused character of {@code text}, or -1. */
  static int firstRefused(String text, boolean freeText) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        if (freeText && (c == '\t' || c == '\n' || c == '\r')) {
          continue;
        }
        return i;
      }
    }
    return -1;
  }

  private static String describe(char c) {
    return String.format("must not contain control characters (U+%04X)", (int) c);
  }
}
