package org.substra.node.shared.archive;

/**
 * What reading one archive may unpack to, counted on the bytes actually unpacked (the sizes that
 * entries declare are never trusted). api-service checks uploads against the same bounds that
 * compute-service unpacks them under ({@code node.archives.*} sets both).
 *
 * @param maxSize bytes unpacked in all
 * @param maxEntries entries, directories included
 * @param maxRatio bytes unpacked per byte of the archive read so far
 * @param ratioGrace bytes unpacked before the ratio is checked
 */
public record Bounds(long maxSize, long maxEntries, long maxRatio, long ratioGrace) {

  /** {@code bytes} in the largest binary unit that divides it, e.g. {@code 10 GiB}. */
  public static String inUnits(long bytes) {
    long unit = 1024L * 1024 * 1024;
    for (String name : new String[] {"GiB", "MiB", "KiB"}) {
      if (bytes >= unit && bytes % unit == 0) {
        return bytes / unit + " " + name;
      }
      unit /= 1024;
    }
    return bytes + " bytes";
  }
}
