package org.substra.node.shared.archive;

import java.io.IOException;

/**
 * An archive that is not read to its end: not an archive, corrupt, or over one of its {@link
 * Bounds}. Each service words it for its own audience from {@link #reason()}, {@link #bound()} and
 * the numbers.
 */
public final class ArchiveRefused extends IOException {

  /** Why the archive is refused. */
  public enum Reason {
    /** Neither a zip nor a tar, plain or compressed. */
    NOT_AN_ARCHIVE,
    /** Reading it failed; {@link #getCause()} says how. */
    CORRUPT,
    /** It unpacks to more than one of its bounds, {@link #bound()}. */
    OVER_BOUND
  }

  /** Which of the {@link Bounds} an archive exceeded. */
  public enum Bound {
    /** {@link Bounds#maxSize()}: the limit and the count are bytes unpacked. */
    SIZE,
    /** {@link Bounds#maxEntries()}: the limit and the count are entries. */
    ENTRIES,
    /** {@link Bounds#maxRatio()}: the limit is the ratio, the count bytes unpacked. */
    RATIO
  }

  private final Reason reason;
  private final Bound bound;
  private final long limit;
  private final long counted;
  private final long archiveRead;

  private ArchiveRefused(
      String message,
      Throwable cause,
      Reason reason,
      Bound bound,
      long limit,
      long counted,
      long archiveRead) {
    super(message, cause);
    this.reason = reason;
    this.bound = bound;
    this.limit = limit;
    this.counted = counted;
    this.archiveRead = archiveRead;
  }

  static ArchiveRefused notAnArchive() {
    return new ArchiveRefused(
        "not a zip or tar archive", null, Reason.NOT_AN_ARCHIVE, null, 0, 0, 0);
  }

  static ArchiveRefused corrupt(Throwable cause) {
    return new ArchiveRefused(
        "corrupt archive: " + cause.getMessage(), cause, Reason.CORRUPT, null, 0, 0, 0);
  }

  static ArchiveRefused overBound(Bound bound, long limit, long counted, long archiveRead) {
    return new ArchiveRefused(
        "the archive is over its "
            + bound.name().toLowerCase(java.util.Locale.ROOT)
            + " bound "
            + limit
            + " ("
            + counted
            + " counted, "
            + archiveRead
            + " bytes of the archive read)",
        null,
        Reason.OVER_BOUND,
        bound,
        limit,
        counted,
        archiveRead);
  }

  public Reason reason() {
    return reason;
  }

  /** The bound exceeded; {@code null} unless the reason is {@link Reason#OVER_BOUND}. */
  public Bound bound() {
    return bound;
  }

  /** The value of the bound exceeded: bytes, entries or a ratio (see {@link Bound}). */
  public long limit() {
    return limit;
  }

  /** What was counted when the bound was exceeded: bytes unpacked, or entries. */
  public long counted() {
    return counted;
  }

  /** Bytes of the archive, as stored, read when the bound was exceeded. */
  public long archiveRead() {
    return archiveRead;
  }
}
