package org.substra.node.shared.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;

/** The one reader both services bound archives with: which bound, on what is really unpacked. */
class ArchiveReaderTest {

  static final long MIB = 1024 * 1024;
  static final Bounds GENEROUS = new Bounds(64 * MIB, 1000, 100, MIB);

  /** A zip of a {@code data/} folder holding {@code files} files of {@code size} bytes each. */
  static byte[] zip(int files, int size, boolean random) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Random noise = new Random(7);
    try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(bytes)) {
      zip.putArchiveEntry(new ZipArchiveEntry("data/"));
      zip.closeArchiveEntry();
      byte[] content = new byte[size];
      for (int i = 0; i < files; i++) {
        if (random) {
          noise.nextBytes(content);
        }
        zip.putArchiveEntry(new ZipArchiveEntry("data/" + i + ".bin"));
        zip.write(content);
        zip.closeArchiveEntry();
      }
    }
    return bytes.toByteArray();
  }

  /** A tar.gz of a {@code Dockerfile} and a symbolic link next to it. */
  static byte[] tarGzWithLink(String dockerfile, String linkTo) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    byte[] data = dockerfile.getBytes(StandardCharsets.UTF_8);
    try (TarArchiveOutputStream tar =
        new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes))) {
      TarArchiveEntry file = new TarArchiveEntry("src/Dockerfile");
      file.setSize(data.length);
      tar.putArchiveEntry(file);
      tar.write(data);
      tar.closeArchiveEntry();
      TarArchiveEntry link = new TarArchiveEntry("link", TarArchiveEntry.LF_SYMLINK);
      link.setLinkName(linkTo);
      tar.putArchiveEntry(link);
      tar.closeArchiveEntry();
    }
    return bytes.toByteArray();
  }

  /** Why reading all of {@code archive}, its content left unread, is refused. */
  static ArchiveRefused refusal(byte[] archive, Bounds bounds) {
    ArchiveRefused refused =
        catchThrowableOfType(ArchiveRefused.class, () -> read(archive, bounds, 0));
    assertThat(refused).as("refused").isNotNull();
    return refused;
  }

  /** Reads every entry, skipping the content of all but the {@code read} first. */
  static List<String> read(byte[] archive, Bounds bounds, int read) throws IOException {
    List<String> seen = new ArrayList<>();
    try (ArchiveReader reader = ArchiveReader.open(new ByteArrayInputStream(archive), bounds)) {
      for (ArchiveReader.Entry entry; (entry = reader.next()) != null; ) {
        if (seen.size() < read) {
          entry.content().readAllBytes();
        }
        seen.add(entry.name() + (entry.directory() ? "/" : "") + (entry.link() ? "@" : ""));
      }
    }
    return seen;
  }

  @Test
  void readsAZipAndATarGzEntryByEntry() throws IOException {
    assertThat(read(zip(2, 10, true), GENEROUS, 9))
        .containsExactly("data//", "data/0.bin", "data/1.bin");
    byte[] tarGz = tarGzWithLink("FROM x", "/etc/passwd");
    try (ArchiveReader reader = ArchiveReader.open(new ByteArrayInputStream(tarGz), GENEROUS)) {
      ArchiveReader.Entry dockerfile = reader.next();
      assertThat(dockerfile.name()).isEqualTo("src/Dockerfile");
      assertThat(dockerfile.content()).hasContent("FROM x");
      assertThat(reader.next().link()).isTrue();
      assertThat(reader.next()).isNull();
    }
  }

  @Test
  void aZipOfZerosIsRefusedByItsRatioEvenUnread() throws IOException {
    ArchiveRefused refused = refusal(zip(1, (int) (16 * MIB), false), GENEROUS);

    assertThat(refused.reason()).isEqualTo(ArchiveRefused.Reason.OVER_BOUND);
    assertThat(refused.bound()).isEqualTo(ArchiveRefused.Bound.RATIO);
    assertThat(refused.limit()).isEqualTo(100);
    assertThat(refused.counted()).isGreaterThan(100 * refused.archiveRead());
    assertThat(refused.counted()).isGreaterThan(MIB).isLessThan(16 * MIB);
  }

  @Test
  void theSizeCountsWhatIsSkippedToo() throws IOException {
    byte[] archive = zip(3, (int) (MIB / 2), true);

    ArchiveRefused refused = refusal(archive, new Bounds(MIB, 1000, 100, MIB));

    assertThat(refused.bound()).isEqualTo(ArchiveRefused.Bound.SIZE);
    assertThat(refused.limit()).isEqualTo(MIB);
    assertThat(refused.counted()).isGreaterThan(MIB);
    assertThat(read(archive, GENEROUS, 0)).hasSize(4);
  }

  @Test
  void entriesAreCountedDirectoriesIncluded() throws IOException {
    Bounds tenEntries = new Bounds(MIB, 10, 100, MIB);
    assertThat(read(zip(9, 0, false), tenEntries, 0)).hasSize(10);

    ArchiveRefused refused = refusal(zip(10, 0, false), tenEntries);

    assertThat(refused.bound()).isEqualTo(ArchiveRefused.Bound.ENTRIES);
    assertThat(refused.limit()).isEqualTo(10);
    assertThat(refused.counted()).isEqualTo(11);
  }

  @Test
  void whatIsNoArchiveOrCorruptIsSaidSo() throws IOException {
    ArchiveRefused text = refusal("just text".getBytes(StandardCharsets.UTF_8), GENEROUS);
    assertThat(text.reason()).isEqualTo(ArchiveRefused.Reason.NOT_AN_ARCHIVE);
    assertThat(text.bound()).isNull();

    byte[] zip = zip(1, 100_000, true);
    ArchiveRefused truncated = refusal(Arrays.copyOf(zip, zip.length / 2), GENEROUS);
    assertThat(truncated.reason()).isEqualTo(ArchiveRefused.Reason.CORRUPT);
    assertThat(truncated.getCause()).isNotNull();
  }

  @Test
  void sizesReadAsTheirLargestUnit() {
    assertThat(Bounds.inUnits(10L * 1024 * MIB)).isEqualTo("10 GiB");
    assertThat(Bounds.inUnits(32 * MIB)).isEqualTo("32 MiB");
    assertThat(Bounds.inUnits(1500)).isEqualTo("1500 bytes");
  }
}
