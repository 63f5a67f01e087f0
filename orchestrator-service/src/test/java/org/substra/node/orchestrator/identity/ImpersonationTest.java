package org.substra.node.orchestrator.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.substra.node.orchestrator.OrchestratorChannel.as;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.function.Consumer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;
import org.substra.node.orchestrator.protocol.InfoServiceGrpc;
import org.substra.node.orchestrator.protocol.QueryVersionParam;
import org.substra.node.orchestrator.protocol.QueryVersionResponse;
import org.substra.node.testing.Dependency;
import org.substra.node.testing.WithLocalDependencies;

/**
 * A member organization cannot act as another with {@code verify-client-msp-id} on: the mspid is
 * bound to the leaf certificate, which must lead to one of that organization's CAs. MyOrg2MSP's CA
 * writes {@code O=MyOrg1MSP} into a certificate and its holder adds MyOrg1MSP's public certificates
 * to the chain it presents.
 */
@QuarkusTest
@TestProfile(ImpersonationTest.TwoOrganizations.class)
@WithLocalDependencies(
    value = {Dependency.POSTGRESQL, Dependency.RABBITMQ},
    database = "orchestrator_test")
class ImpersonationTest {

  private static final String ORG1 = "MyOrg1MSP";
  private static final String ORG2 = "MyOrg2MSP";

  public static class TwoOrganizations implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      Path served = MutualTlsTest.CERTIFICATES;
      return Map.of(
          "orchestrator.tls.enabled", "true",
          "orchestrator.tls.cert-path", served.resolve("server.pem").toString(),
          "orchestrator.tls.key-path", served.resolve("server.key").toString(),
          "orchestrator.tls.server-ca-cert", served.resolve("server-ca.pem").toString(),
          "orchestrator.tls.mtls-enabled", "true",
          "orchestrator.tls.client-ca-cert-dir", pki().directory.resolve("clients").toString(),
          "orchestrator.tls.verify-client-msp-id", "true");
    }
  }

  @Test
  void theGenuineOrganizationIsServed() {
    assertServed("org1-client", ORG1, "org1-client");
  }

  @Test
  void theOtherOrganizationIsServedAsItself() {
    assertServed("org2-client", ORG2, "org2-client");
  }

  @Test
  void aLeafIssuedThroughThePresentedIntermediateOfTheOrganizationIsServed() {
    assertServed("org1-via-intermediate", ORG1, "org1-via-intermediate", "org1-intermediate");
  }

  @Test
  void anotherOrganizationsLeafIsRefusedWhateverItsSubjectSays() {
    assertImpersonationRefused("org2-as-org1");
  }

  @Test
  void theOrganizationsCaCertificateInTheChainProvesNothing() {
    assertImpersonationRefused("org2-as-org1", "org1-ca");
  }

  @Test
  void aCertificateTheOrganizationIssuedToSomeoneElseInTheChainProvesNothing() {
    assertImpersonationRefused("org2-as-org1", "org1-client");
    assertImpersonationRefused("org2-as-org1", "org1-intermediate", "org1-ca");
  }

  @Test
  void anotherOrganizationsGenuineLeafCannotClaimIt() {
    withClient(
        "org2-client",
        channel ->
            assertRefused(
                channel,
                ORG1,
                "OE0102: invalid MSPID: cannot find MSPID \"MyOrg1MSP\" in client TLS"
                    + " certificate Subject Organizations"),
        "org2-client",
        "org1-client");
  }

  private static void assertServed(String key, String mspid, String... chain) {
    withClient(
        key, channel -> assertEquals("1.0.0", version(channel, mspid).getOrchestrator()), chain);
  }

  private static void assertImpersonationRefused(String key, String... chain) {
    String[] presented = new String[chain.length + 1];
    presented[0] = key;
    System.arraycopy(chain, 0, presented, 1, chain.length);
    withClient(
        key,
        channel ->
            assertRefused(
                channel, ORG1, "OE0102: invalid MSPID: invalid issuer for MSPID \"MyOrg1MSP\""),
        presented);
  }

  /** A channel whose client holds {@code key}'s private key and presents {@code chain}. */
  private static void withClient(String key, Consumer<ManagedChannel> calls, String... chain) {
    KeytoolPki pki = pki().pki;
    X509Certificate[] certificates = new X509Certificate[chain.length];
    for (int i = 0; i < chain.length; i++) {
      certificates[i] = pki.certificate(chain[i]);
    }
    ManagedChannel channel;
    try {
      channel =
          NettyChannelBuilder.forAddress("localhost", port())
              .sslContext(
                  GrpcSslContexts.forClient()
                      .trustManager(MutualTlsTest.CERTIFICATES.resolve("server-ca.pem").toFile())
                      .keyManager(presenting(pki.privateKey(key), certificates))
                      .build())
              .build();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    try {
      calls.accept(channel);
    } finally {
      channel.shutdownNow();
    }
  }

  /**
   * A key manager that presents {@code chain} as it is: Netty's own refuses a chain whose
   * certificates do not issue one another, an attacker's client need not.
   */
  private static X509ExtendedKeyManager presenting(PrivateKey key, X509Certificate[] chain) {
    return new X509ExtendedKeyManager() {
      @Override
      public String chooseEngineClientAlias(String[] types, Principal[] issuers, SSLEngine engine) {
        return "client";
      }

      @Override
      public String chooseClientAlias(String[] types, Principal[] issuers, Socket socket) {
        return "client";
      }

      @Override
      public String[] getClientAliases(String type, Principal[] issuers) {
        return new String[] {"client"};
      }

      @Override
      public X509Certificate[] getCertificateChain(String alias) {
        return chain.clone();
      }

      @Override
      public PrivateKey getPrivateKey(String alias) {
        return key;
      }

      @Override
      public String[] getServerAliases(String type, Principal[] issuers) {
        return null;
      }

      @Override
      public String chooseServerAlias(String type, Principal[] issuers, Socket socket) {
        return null;
      }
    };
  }

  private static QueryVersionResponse version(ManagedChannel channel, String mspid) {
    return as(InfoServiceGrpc.newBlockingStub(channel), mspid, "mychannel")
        .queryVersion(QueryVersionParam.getDefaultInstance());
  }

  private static void assertRefused(ManagedChannel channel, String mspid, String description) {
    StatusRuntimeException refused =
        assertThrows(StatusRuntimeException.class, () -> version(channel, mspid));
    assertEquals(Status.Code.PERMISSION_DENIED, refused.getStatus().getCode());
    assertEquals(description, refused.getStatus().getDescription());
  }

  private static int port() {
    return ConfigProvider.getConfig().getValue("quarkus.grpc.server.test-port", Integer.class);
  }

  private record Generated(Path directory, KeytoolPki pki) {}

  /**
   * The test network's certificates, made once per JVM: the profile and the test may run in
   * different class loaders, so the folder is shared through a system property.
   */
  private static synchronized Generated pki() {
    String property = "substra.test.impersonation-pki";
    String existing = System.getProperty(property);
    if (existing != null) {
      return new Generated(Path.of(existing), new KeytoolPki(Path.of(existing)));
    }
    try {
      Path directory = Files.createTempDirectory("orchestrator-impersonation-");
      KeytoolPki pki = new KeytoolPki(directory);
      pki.rootCa("org1-ca", ORG1);
      pki.rootCa("org2-ca", ORG2);
      pki.intermediateCa("org1-intermediate", ORG1, "org1-ca");
      pki.client("org1-client", ORG1, "org1-ca");
      pki.client("org1-via-intermediate", ORG1, "org1-intermediate");
      pki.client("org2-client", ORG2, "org2-ca");
      // The forgery: MyOrg2MSP's own CA writes MyOrg1MSP into the subject.
      pki.client("org2-as-org1", ORG1, "org2-ca");
      for (String[] organization : new String[][] {{ORG1, "org1-ca"}, {ORG2, "org2-ca"}}) {
        Path folder =
            Files.createDirectories(directory.resolve("clients").resolve(organization[0]));
        Files.copy(pki.certificateFile(organization[1]), folder.resolve("ca.pem"));
      }
      System.setProperty(property, directory.toString());
      return new Generated(directory, pki);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
