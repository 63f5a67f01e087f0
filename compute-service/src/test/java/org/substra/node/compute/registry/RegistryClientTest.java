package org.substra.node.compute.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.substra.node.compute.config.TestConfigs;
import org.substra.node.testing.RegistryStandIn;

/** Against a registry stand-in speaking the v2 API over real HTTP. */
class RegistryClientTest {

  static final String TAG = "function-0123456789abcdef";

  @TempDir Path dir;
  RegistryStandIn registry;

  @AfterEach
  void stop() {
    if (registry != null) {
      registry.close();
    }
  }

  RegistryClient client(String address, String... more) {
    String[] properties = new String[6 + more.length];
    properties[0] = "node.registry.address";
    properties[1] = address;
    properties[2] = "node.registry.docker-config";
    properties[3] = dir.resolve("config.json").toString();
    properties[4] = "node.registry.timeout";
    properties[5] = "2s";
    System.arraycopy(more, 0, properties, 6, more.length);
    return new RegistryClient(TestConfigs.registry(properties));
  }

  void dockerConfig(String key, String auth) throws IOException {
    Files.writeString(dir.resolve("config.json"), "{\"auths\":{\"" + key + "\":" + auth + "}}");
  }

  @Test
  void anImageExistsOnceItsManifestIsPushed() throws Exception {
    registry = new RegistryStandIn();
    RegistryClient client = client(registry.address());

    assertThat(client.exists(TAG)).isFalse();
    registry.push(TAG, List.of("python3", "function.py"), null);

    assertThat(client.exists(TAG)).isTrue();
    assertThat(registry.requests)
        .containsOnly("HEAD /v2/" + RegistryStandIn.REPOSITORY + "/manifests/" + TAG);
  }

  @Test
  void theCommandIsTheEntrypointThenTheCmdOfTheConfigBlobRunInItsWorkingDir() throws Exception {
    registry = new RegistryStandIn();
    registry.push(TAG, List.of("python3", "function.py"), List.of("--function-name", "train"));

    assertThat(client(registry.address()).imageConfig(TAG))
        .contains(
            new ImageConfig(
                List.of("python3", "function.py", "--function-name", "train"), "/sandbox"));
    assertThat(registry.requests)
        .anyMatch(request -> request.startsWith("GET /v2/substra/user-image/blobs/sha256:"));
  }

  @Test
  void anImageWithoutWorkingDirRunsInTheRoot() {
    assertThat(new ImageConfig(List.of("./run"), null).workingDir()).isEqualTo("/");
    assertThat(new ImageConfig(List.of("./run"), "").workingDir()).isEqualTo("/");
  }

  @Test
  void aMissingImageHasNoCommand() throws Exception {
    registry = new RegistryStandIn();
    assertThat(client(registry.address()).imageConfig(TAG)).isEmpty();
  }

  @Test
  void anImageWithoutEntrypointNorCmdHasAnEmptyCommand() throws Exception {
    registry = new RegistryStandIn();
    registry.push(TAG, null, null);
    assertThat(client(registry.address()).imageConfig(TAG).map(ImageConfig::command))
        .contains(List.of());
  }

  @Test
  void basicCredentialsComeFromTheDockerConfigEntryOfTheRegistry() throws Exception {
    registry = new RegistryStandIn(RegistryStandIn.Auth.BASIC, "robot", "s3cret");
    registry.push(TAG, List.of("python3"), null);
    assertThatThrownBy(() -> client(registry.address()).exists(TAG))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("answered 401");

    dockerConfig(
        "http://" + registry.address() + "/v2/",
        "{\"username\":\"robot\",\"password\":\"s3cret\"}");
    assertThat(client(registry.address()).exists(TAG)).isTrue();
  }

  @Test
  void aBearerChallengeIsAnsweredWithATokenFromTheRealm() throws Exception {
    registry = new RegistryStandIn(RegistryStandIn.Auth.BEARER, "robot", "s3cret");
    registry.push(TAG, List.of("python3", "function.py"), null);
    // the "auth" form: base64 of user:password, as docker login writes it
    dockerConfig(
        registry.address(),
        "{\"auth\":\""
            + java.util.Base64.getEncoder().encodeToString("robot:s3cret".getBytes())
            + "\"}");
    RegistryClient client = client(registry.address());

    assertThat(client.exists(TAG)).isTrue();
    assertThat(client.imageConfig(TAG).map(ImageConfig::command))
        .contains(List.of("python3", "function.py"));
    // one token, reused by the later calls
    assertThat(registry.requests).filteredOn(request -> request.endsWith("/token")).hasSize(1);
  }

  @Test
  void aRegistryRefusingTheImageIsAFailureToTryAgain() throws Exception {
    registry = new RegistryStandIn();
    registry.answer(TAG, 412);
    assertThatThrownBy(() -> client(registry.address()).exists(TAG))
        .isInstanceOf(RegistryClient.PreconditionFailed.class)
        .hasMessageContaining("412");
  }

  @Test
  void anUnreachableRegistryFailsAtOnceNamingIt() throws Exception {
    int port;
    try (ServerSocket closed = new ServerSocket(0)) {
      port = closed.getLocalPort();
    }
    String address = "127.0.0.1:" + port;
    assertThatThrownBy(() -> client(address).exists(TAG))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("registry " + address + " unreachable");
  }

  @Test
  void aRegistryThatNeverAnswersFailsAfterTheTimeout() throws Exception {
    try (ServerSocket silent = new ServerSocket(0)) {
      // accepts the connection, then says nothing
      Thread acceptor =
          new Thread(
              () -> {
                try (Socket ignored = silent.accept()) {
                  Thread.sleep(10_000);
                } catch (IOException | InterruptedException e) {
                  // the test is over
                }
              });
      acceptor.start();
      long started = System.nanoTime();
      assertThatThrownBy(
              () ->
                  client("127.0.0.1:" + silent.getLocalPort(), "node.registry.timeout", "500ms")
                      .exists(TAG))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("did not answer within");
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
      acceptor.interrupt();
    }
  }

  @Test
  void aDockerConfigWithoutTheRegistryMeansAnonymousCalls() throws Exception {
    dockerConfig("other.example:5000", "{\"username\":\"u\",\"password\":\"p\"}");
    assertThat(DockerConfigs.basicAuth(dir.resolve("config.json"), "127.0.0.1:5000"))
        .isEqualTo(Optional.empty());
    assertThat(DockerConfigs.basicAuth(dir.resolve("absent.json"), "127.0.0.1:5000")).isEmpty();
  }
}
