package org.substra.node.api.input;

/**
 * The characters no text of a request may hold: the C0 controls and DEL. PostgreSQL cannot store or
 * compare U+0000 at all (a query with one fails, which was a 500), and the others are never meant
 * in a name, key, filter or address. Free text (metadata values) may keep tab, line feed and
 * carriage return: the orchestrator, which every registration reaches, applies that finer rule.
 */
public final class ControlCharacters {

  private ControlCharacters() {}

  /** Index of the first refused character of {@code text}, or -1 (also for null). */
  public static int firstRefused(String text) {
    if (text == null) {
      return -1;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        return i;
      }
    }
    return -1;
  }

  public static boolean holds(String text) {
    return firstRefused(text) >= 0;
  }

  /** {@code must not contain control characters (U+0000)} for the first refused one. */
  public static String refusal(String text) {
    return String.format(
        "must not contain control characters (U+%04X)", (int) text.charAt(firstRefused(text)));
  }
}
