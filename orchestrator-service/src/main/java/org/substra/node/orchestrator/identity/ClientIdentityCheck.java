package org.substra.node.orchestrator.identity;

import io.grpc.Grpc;
import io.grpc.ServerCall;
import io.grpc.Status;
import jakarta.inject.Singleton;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * With {@code orchestrator.tls.verify-client-msp-id}, a caller proves its {@code mspid}: its
 * certificate names it as an organization, the organization has a CA folder, and the certificate
 * chain was issued by one of those CAs (spec §2.3). Otherwise the header is trusted as sent.
 */
@Singleton
public class ClientIdentityCheck {

  private final TlsConfig config;

  ClientIdentityCheck(TlsConfig config) {
    this.config = config;
  }

  /** Why the call may not act as {@code mspid}, or null when it may. */
  Status refusal(ServerCall<?, ?> call, String mspid) {
    if (!config.verifyClientMspId()) {
      return null;
    }
    SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
    List<X509Certificate> chain = session == null ? List.of() : peerChain(session);
    if (chain.isEmpty()) {
      return Status.INTERNAL.withDescription(
          "OE0007: cannot verify MSPID: no TLS client certificate");
    }
    if (!Certificates.organizations(chain.get(0)).contains(mspid)) {
      return denied(
          "cannot find MSPID \"" + mspid + "\" in client TLS certificate Subject Organizations");
    }
    Path directory = config.clientCaCertDir().map(dir -> dir.resolve(mspid)).orElse(null);
    if (directory == null || !Files.isDirectory(directory)) {
      return denied("cannot find MSPID \"" + mspid + "\" in allowed organizations");
    }
    Set<String> issuers = subjectKeyIds(directory);
    for (X509Certificate certificate : chain) {
      String authority = Certificates.authorityKeyId(certificate);
      if (authority != null && issuers.contains(authority)) {
        return null;
      }
    }
    return denied("invalid issuer for MSPID \"" + mspid + "\"");
  }

  private static List<X509Certificate> peerChain(SSLSession session) {
    List<X509Certificate> chain = new ArrayList<>();
    try {
      for (Certificate certificate : session.getPeerCertificates()) {
        if (certificate instanceof X509Certificate x509) {
          chain.add(x509);
        }
      }
    } catch (SSLPeerUnverifiedException e) {
      return List.of();
    }
    return chain;
  }

  private static Set<String> subjectKeyIds(Path directory) {
    Set<String> ids = new HashSet<>();
    try (Stream<Path> files = Files.list(directory)) {
      files
          .filter(Files::isRegularFile)
          .forEach(
              file ->
                  Certificates.read(file)
                      .forEach(
                          ca -> {
                            String id = Certificates.subjectKeyId(ca);
                            if (id != null) {
                              ids.add(id);
                            }
                          }));
    } catch (java.io.IOException e) {
      return ids;
    }
    return ids;
  }

  private static Status denied(String reason) {
    return Status.PERMISSION_DENIED.withDescription("OE0102: invalid MSPID: " + reason);
  }
}
