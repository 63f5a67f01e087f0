package org.substra.node.orchestrator.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.substra.node.orchestrator.OrchestratorChannel.as;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.handler.ssl.SslContextBuilder;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;
import org.substra.node.orchestrator.protocol.InfoServiceGrpc;
import org.substra.node.orchestrator.protocol.QueryVersionParam;
import org.substra.node.testing.Dependency;
import org.substra.node.testing.WithLocalDependencies;

/**
 * TLS with client certificates and the mspid proof of spec §2.3, with test certificates: a caller
 * may only act as an organization its certificate names and that organization's CA issued.
 */
@QuarkusTest
@TestProfile(MutualTlsTest.MutualTls.class)
@WithLocalDependencies(
    value = {Dependency.POSTGRESQL, Dependency.RABBITMQ},
    database = "orchestrator_test")
class MutualTlsTest {

  static final Path CERTIFICATES = Path.of("src/test/resources/tls").toAbsolutePath();

  public static class MutualTls implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "orchestrator.tls.enabled", "true",
          "orchestrator.tls.cert-path", CERTIFICATES.resolve("server.pem").toString(),
          "orchestrator.tls.key-path", CERTIFICATES.resolve("server.key").toString(),
          "orchestrator.tls.server-ca-cert", CERTIFICATES.resolve("server-ca.pem").toString(),
          "orchestrator.tls.mtls-enabled", "true",
          "orchestrator.tls.client-ca-cert-dir", CERTIFICATES.resolve("clients").toString(),
          "orchestrator.tls.verify-client-msp-id", "true");
    }
  }

  @Test
  void aCertifiedOrganizationIsServed() {
    withClient(
        "org1", channel -> assertEquals("1.0.0", version(channel, "MyOrg1MSP").getOrchestrator()));
  }

  @Test
  void aCertificateOnlyProvesItsOwnOrganizations() {
    withClient(
        "org1",
        channel ->
            assertRefused(
                channel,
                "MyOrg2MSP",
                Status.Code.PERMISSION_DENIED,
                "OE0102: invalid MSPID: cannot find MSPID \"MyOrg2MSP\" in client TLS certificate"
                    + " Subject Organizations"));
  }

  @Test
  void anotherOrganizationsCaCannotIssueForIt() {
    withClient(
        "impostor",
        channel ->
            assertRefused(
                channel,
                "MyOrg2MSP",
                Status.Code.PERMISSION_DENIED,
                "OE0102: invalid MSPID: invalid issuer for MSPID \"MyOrg2MSP\""));
  }

  @Test
  void anOrganizationWithoutCaFolderIsNotAllowed() {
    withClient(
        "unlisted",
        channel ->
            assertRefused(
                channel,
                "MyOrg3MSP",
                Status.Code.PERMISSION_DENIED,
                "OE0102: invalid MSPID: cannot find MSPID \"MyOrg3MSP\" in allowed organizations"));
  }

  @Test
  void clientsWithoutCertificateOrTlsAreNotServed() throws Exception {
    ManagedChannel anonymous =
        NettyChannelBuilder.forAddress("localhost", port())
            .sslContext(
                GrpcSslContexts.forClient()
                    .trustManager(CERTIFICATES.resolve("server-ca.pem").toFile())
                    .build())
            .build();
    ManagedChannel plaintext =
        ManagedChannelBuilder.forAddress("localhost", port()).usePlaintext().build();
    try {
      assertEquals(
          Status.Code.UNAVAILABLE,
          assertThrows(StatusRuntimeException.class, () -> version(anonymous, "MyOrg1MSP"))
              .getStatus()
              .getCode());
      assertEquals(
          Status.Code.UNAVAILABLE,
          assertThrows(StatusRuntimeException.class, () -> version(plaintext, "MyOrg1MSP"))
              .getStatus()
              .getCode());
    } finally {
      anonymous.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      plaintext.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private static void withClient(String name, Consumer<ManagedChannel> calls) {
    ManagedChannel channel;
    try {
      SslContextBuilder tls =
          GrpcSslContexts.forClient()
              .trustManager(CERTIFICATES.resolve("server-ca.pem").toFile())
              .keyManager(
                  CERTIFICATES.resolve(name + ".pem").toFile(),
                  CERTIFICATES.resolve(name + ".key").toFile());
      channel = NettyChannelBuilder.forAddress("localhost", port()).sslContext(tls.build()).build();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    try {
      calls.accept(channel);
    } finally {
      channel.shutdownNow();
    }
  }

  private static org.substra.node.orchestrator.protocol.QueryVersionResponse version(
      ManagedChannel channel, String mspid) {
    return as(InfoServiceGrpc.newBlockingStub(channel), mspid, "mychannel")
        .queryVersion(QueryVersionParam.getDefaultInstance());
  }

  private static void assertRefused(
      ManagedChannel channel, String mspid, Status.Code code, String description) {
    StatusRuntimeException refused =
        assertThrows(StatusRuntimeException.class, () -> version(channel, mspid));
    assertEquals(code, refused.getStatus().getCode());
    assertEquals(description, refused.getStatus().getDescription());
  }

  private static int port() {
    return ConfigProvider.getConfig().getValue("quarkus.grpc.server.test-port", Integer.class);
  }
}
