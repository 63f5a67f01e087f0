package org.substra.node.compute.staging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.substra.node.compute.staging.ArgumentsFile.Resource;

class StagingFormatsTest {

  @TempDir Path dir;

  @Test
  void argumentsFileHasPythonSeparatorsOneArgumentPerLine() {
    String text =
        ArgumentsFile.render(
            3,
            List.of(
                new Resource("opener", "/w/openers/k/__init__.py", false),
                new Resource("datasamples", "/w/data_samples/s", true)),
            List.of(new Resource("model", "/w/out_models/model.model", false)));
    assertThat(text)
        .isEqualTo(
            "--task-properties\n{\"rank\": 3}\n--inputs\n"
                + "[{\"id\": \"opener\", \"value\": \"/w/openers/k/__init__.py\", \"multiple\": false},"
                + " {\"id\": \"datasamples\", \"value\": \"/w/data_samples/s\", \"multiple\": true}]\n"
                + "--outputs\n"
                + "[{\"id\": \"model\", \"value\": \"/w/out_models/model.model\", \"multiple\": false}]\n");
  }

  @Test
  void argumentsFileRefusesWhatWouldNeedAJsonEscape() {
    for (String bad : new String[] {"a\"b", "a\\b", "line\nbreak", "é"}) {
      assertThatThrownBy(
              () -> ArgumentsFile.render(0, List.of(new Resource(bad, "/p", false)), List.of()))
          .isInstanceOf(ArgumentsFile.UnsafeValue.class);
    }
  }

  @Test
  void directoryHashIsChecksumdirSha256() throws Exception {
    Files.writeString(dir.resolve("a"), "1");
    Files.createDirectories(dir.resolve("sub"));
    Files.writeString(dir.resolve("sub/.hidden"), "2");
    Files.writeString(dir.resolve("sub/empty"), "");
    // python: sha256 over the sorted hex sha256 of b"1", b"2", b""
    assertThat(Checksums.directory(dir))
        .isEqualTo("90e3c5be2de3ac9d9b034c5b66593d29cd16fc1276c7d49d79b4365b36039ffc");
  }

  @Test
  void anEmptyDirectoryHasNoHash() {
    assertThatThrownBy(() -> Checksums.directory(dir)).hasMessageContaining("no file");
  }

  @Test
  void modelChecksumCoversBytesThenTaskKey() throws Exception {
    Path model = Files.writeString(dir.resolve("m"), "model-bytes");
    assertThat(Checksums.model(model, "task-key"))
        .isEqualTo("43236e53539e79edc82e5ca98fdada00b71d5b8e1e444d6279ee1b63ea757e7d");
  }

  static byte[] tarGz(String name, String content) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream gz = new GzipCompressorOutputStream(bytes);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(gz)) {
      byte[] data = content.getBytes(StandardCharsets.UTF_8);
      TarArchiveEntry entry = new TarArchiveEntry(name);
      entry.setSize(data.length);
      tar.putArchiveEntry(entry);
      tar.write(data);
      tar.closeArchiveEntry();
    }
    return bytes.toByteArray();
  }

  @Test
  void extractsATarGz() throws Exception {
    Path archive = Files.write(dir.resolve("a.tar.gz"), tarGz("src/Dockerfile", "FROM x"));
    Archives.extract(archive, dir.resolve("out"), ArchiveBoundsTest.GENEROUS);
    assertThat(dir.resolve("out/src/Dockerfile")).hasContent("FROM x");
  }

  @Test
  void refusesEntriesLeavingTheDestination() throws Exception {
    Path archive = Files.write(dir.resolve("evil.tar.gz"), tarGz("../escaped", "x"));
    assertThatThrownBy(
            () -> Archives.extract(archive, dir.resolve("out"), ArchiveBoundsTest.GENEROUS))
        .isInstanceOf(Archives.BadArchive.class);
    assertThat(dir.resolve("escaped")).doesNotExist();
  }

  @Test
  void refusesWhatIsNotAnArchive() throws Exception {
    Path archive = Files.writeString(dir.resolve("plain.txt"), "just text, no archive");
    assertThatThrownBy(
            () -> Archives.extract(archive, dir.resolve("out"), ArchiveBoundsTest.GENEROUS))
        .isInstanceOf(Archives.BadArchive.class);
  }
}
