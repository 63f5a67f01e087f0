package org.substra.node.compute.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.substra.node.compute.staging.InputStager.InvalidInput;

/**
 * A data sample registered by server path is copied only from under the allowed root, without
 * following links: what a folder links to could be any file this service may read.
 */
class ServerPathSampleTest {

  @TempDir Path dir;
  Path root;
  Path secret;
  Path sample;

  @BeforeEach
  void folders() throws Exception {
    root = Files.createDirectories(dir.resolve("servermedias"));
    secret = Files.writeString(dir.resolve("shadow"), "root:secret");
    sample = Files.createDirectories(root.resolve("sample"));
    Files.writeString(sample.resolve("a.csv"), "1\n");
    Files.createDirectories(sample.resolve("nested"));
    Files.writeString(sample.resolve("nested/b.csv"), "2\n");
  }

  private Path copy(Path folder) throws Exception {
    Path destination = Files.createDirectories(dir.resolve("staged"));
    OwnAssetSource.copyTree(root, folder, destination);
    return destination;
  }

  @Test
  void copiesTheFilesOfAFolderUnderTheRoot() throws Exception {
    Path staged = copy(sample);
    assertThat(staged.resolve("a.csv")).hasContent("1\n");
    assertThat(staged.resolve("nested/b.csv")).hasContent("2\n");
  }

  @Test
  void refusesAFolderHoldingALinkToAFileOutside() throws Exception {
    Files.createSymbolicLink(sample.resolve("nested/shadow"), secret);

    assertThatThrownBy(() -> copy(sample))
        .isInstanceOf(InvalidInput.class)
        .hasMessageContaining("symbolic link")
        .hasMessageContaining("nested/shadow");
    assertThat(dir.resolve("staged/nested/shadow")).doesNotExist();
  }

  @Test
  void refusesALinkToAFolderInside() throws Exception {
    Files.createSymbolicLink(sample.resolve("etc"), dir);

    assertThatThrownBy(() -> copy(sample)).isInstanceOf(InvalidInput.class);
  }

  @Test
  void refusesWhatIsNeitherFileNorFolder() throws Exception {
    Path socket = sample.resolve("socket");
    try (ServerSocketChannel server =
        ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(socket));

      assertThatThrownBy(() -> copy(sample))
          .isInstanceOf(InvalidInput.class)
          .hasMessageContaining("neither a file nor a folder");
    }
  }

  @Test
  void refusesAFolderOutsideTheRoot() throws Exception {
    Path outside = Files.createDirectories(dir.resolve("elsewhere"));
    Files.writeString(outside.resolve("a.csv"), "1\n");

    assertThatThrownBy(() -> copy(outside))
        .isInstanceOf(InvalidInput.class)
        .hasMessageContaining("not under the data sample root");
    assertThatThrownBy(() -> copy(root.resolve("../elsewhere")))
        .isInstanceOf(InvalidInput.class)
        .hasMessageContaining("not under the data sample root");
  }

  @Test
  void refusesAFolderThatIsALinkOrLiesBehindOneLeavingTheRoot() throws Exception {
    Path outside = Files.createDirectories(dir.resolve("elsewhere/inner"));
    Files.writeString(outside.resolve("a.csv"), "1\n");
    Path link = Files.createSymbolicLink(root.resolve("link"), dir.resolve("elsewhere"));

    assertThatThrownBy(() -> copy(link))
        .isInstanceOf(InvalidInput.class)
        .hasMessageContaining("symbolic link");
    assertThatThrownBy(() -> copy(link.resolve("inner")))
        .isInstanceOf(InvalidInput.class)
        .hasMessageContaining("leads out of the data sample root");
  }
}
