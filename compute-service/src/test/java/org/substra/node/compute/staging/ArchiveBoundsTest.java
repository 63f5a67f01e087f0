package org.substra.node.compute.staging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.substra.node.shared.archive.Bounds;

/**
 * Archives that unpack to more than their bounds (zip bombs) are refused while they are unpacked,
 * counting what is written, and leave nothing behind.
 */
class ArchiveBoundsTest {

  static final long MIB = 1024 * 1024;

  /** Bounds no test archive reaches. */
  static final Bounds GENEROUS = new Bounds(64 * MIB, 1000, 100, MIB);

  @TempDir Path dir;

  static byte[] zip(int files, int size, boolean random) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Random noise = new Random(5);
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      for (int i = 0; i < files; i++) {
        zip.putNextEntry(new ZipEntry("data/" + i + ".bin"));
        byte[] content = new byte[size];
        if (random) {
          noise.nextBytes(content);
        }
        zip.write(content);
        zip.closeEntry();
      }
    }
    return bytes.toByteArray();
  }

  static byte[] tarGz(int size) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream gz = new GzipCompressorOutputStream(bytes);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(gz)) {
      TarArchiveEntry entry = new TarArchiveEntry("zeros.bin");
      entry.setSize(size);
      tar.putArchiveEntry(entry);
      byte[] block = new byte[64 * 1024];
      for (int written = 0; written < size; written += block.length) {
        tar.write(block, 0, Math.min(block.length, size - written));
      }
      tar.closeArchiveEntry();
    }
    return bytes.toByteArray();
  }

  private Path write(String name, byte[] content) throws Exception {
    return Files.write(dir.resolve(name), content);
  }

  @Test
  void aZipOfZerosIsRefusedByItsCompressionRatioAndLeavesNothing() throws Exception {
    byte[] bomb = zip(1, (int) (16 * MIB), false);
    assertThat(bomb.length).isLessThan(64 * 1024);
    Path out = dir.resolve("out");

    assertThatThrownBy(() -> Archives.extract(write("bomb.zip", bomb), out, GENEROUS))
        .isInstanceOf(Archives.BadArchive.class)
        .hasMessageContaining("more than 100 times")
        .hasMessageContaining("compute.archives.max-ratio");
    assertThat(out).doesNotExist();
  }

  @Test
  void aTarGzOfZerosIsRefusedByItsCompressionRatio() throws Exception {
    Path bomb = write("bomb.tar.gz", tarGz((int) (16 * MIB)));
    Path out = Files.createDirectories(dir.resolve("out"));

    assertThatThrownBy(() -> Archives.extract(bomb, out, GENEROUS))
        .isInstanceOf(Archives.BadArchive.class)
        .hasMessageContaining("compression ratio");
    assertThat(out).isEmptyDirectory();
  }

  @Test
  void anArchiveOverTheTotalSizeIsRefusedWhateverItsRatio() throws Exception {
    // incompressible: the ratio is about 1, only the total is over
    Path archive = write("large.zip", zip(3, (int) (MIB / 2), true));
    Bounds oneMib = new Bounds(MIB, 1000, 100, MIB);

    assertThatThrownBy(() -> Archives.extract(archive, dir.resolve("out"), oneMib))
        .isInstanceOf(Archives.BadArchive.class)
        .hasMessageContaining("unpacks to more than 1 MiB")
        .hasMessageContaining("compute.archives.max-size");
    assertThat(dir.resolve("out")).doesNotExist();
    Archives.extract(archive, dir.resolve("fits"), GENEROUS);
    assertThat(dir.resolve("fits/data")).isDirectoryContaining("glob:**/2.bin");
  }

  @Test
  void anArchiveOfTooManyEntriesIsRefused() throws Exception {
    Path archive = write("many.zip", zip(11, 0, false));
    Bounds tenEntries = new Bounds(MIB, 10, 100, MIB);

    assertThatThrownBy(() -> Archives.extract(archive, dir.resolve("out"), tenEntries))
        .isInstanceOf(Archives.BadArchive.class)
        .hasMessageContaining("more than 10 entries")
        .hasMessageContaining("compute.archives.max-entries");
    assertThat(dir.resolve("out")).doesNotExist();
    Archives.extract(write("ten.zip", zip(10, 0, false)), dir.resolve("ten"), tenEntries);
    assertThat(dir.resolve("ten/data/9.bin")).exists();
  }

  @Test
  void aSmallArchiveOfZerosPassesUnderTheRatioGrace() throws Exception {
    Path archive = write("sparse.zip", zip(1, (int) (MIB / 2), false));

    Archives.extract(archive, dir.resolve("out"), GENEROUS);

    assertThat(dir.resolve("out/data/0.bin")).hasSize(MIB / 2);
  }
}
