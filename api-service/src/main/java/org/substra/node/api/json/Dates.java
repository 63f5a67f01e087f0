package org.substra.node.api.json;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Datetimes as the reference renders them (REST spec §1.3): UTC with {@code Z}, six fraction
 * digits, omitted when the microseconds are zero.
 */
public final class Dates {

  private static final DateTimeFormatter SECONDS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'");
  private static final DateTimeFormatter MICROS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'");

  private Dates() {}

  public static String format(OffsetDateTime time) {
    if (time == null) {
      return null;
    }
    OffsetDateTime utc = time.withOffsetSameInstant(ZoneOffset.UTC);
    return utc.format(utc.getNano() / 1000 == 0 ? SECONDS : MICROS);
  }

  /** Always six fraction digits: how the reference renders {@code estimated_end_date}. */
  public static String formatMicros(OffsetDateTime time) {
    return time == null ? null : time.withOffsetSameInstant(ZoneOffset.UTC).format(MICROS);
  }
}
