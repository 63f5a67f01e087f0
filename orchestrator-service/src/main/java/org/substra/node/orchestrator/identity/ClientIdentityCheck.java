package org.substra.node.orchestrator.identity;

import io.grpc.Grpc;
import io.grpc.ServerCall;
import io.grpc.Status;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * With {@code orchestrator.tls.verify-client-msp-id}, a caller proves its {@code mspid} with its
 * own certificate, the leaf of the chain it presented (whose key the TLS handshake proved): the
 * leaf names the organization in its subject, the organization has a CA folder, and a certification
 * path leads from the leaf to one of that folder's CAs (spec §2.3). Only the leaf counts: any other
 * certificate of the chain is public and proves nothing about the caller, so it serves only as an
 * intermediate of that path, verified like the leaf. Without the setting the header is trusted as
 * sent.
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
    X509Certificate leaf = chain.get(0);
    if (!Certificates.organizations(leaf).contains(mspid)) {
      return denied(
          "cannot find MSPID \"" + mspid + "\" in client TLS certificate Subject Organizations");
    }
    Path directory = config.clientCaCertDir().map(dir -> dir.resolve(mspid)).orElse(null);
    if (directory == null || !Files.isDirectory(directory)) {
      return denied("cannot find MSPID \"" + mspid + "\" in allowed organizations");
    }
    if (!certifiedBy(leaf, chain.subList(1, chain.size()), currentCas(directory))) {
      return denied("invalid issuer for MSPID \"" + mspid + "\"");
    }
    return null;
  }

  /**
   * Whether a certification path leads from {@code leaf} to one of {@code cas}, through none but
   * the {@code presented} certificates: each signature and validity period on the way is checked
   * (PKIX, with CA constraints and key usages), revocation is not (no lists are configured).
   */
  static boolean certifiedBy(
      X509Certificate leaf, List<X509Certificate> presented, List<X509Certificate> cas) {
    if (cas.isEmpty()) {
      return false;
    }
    Set<TrustAnchor> anchors = new HashSet<>();
    cas.forEach(ca -> anchors.add(new TrustAnchor(ca, null)));
    X509CertSelector target = new X509CertSelector();
    target.setCertificate(leaf);
    List<X509Certificate> candidates = new ArrayList<>(presented);
    candidates.add(leaf);
    try {
      PKIXBuilderParameters parameters = new PKIXBuilderParameters(anchors, target);
      parameters.setRevocationEnabled(false);
      parameters.addCertStore(
          CertStore.getInstance("Collection", new CollectionCertStoreParameters(candidates)));
      CertPathBuilder.getInstance("PKIX").build(parameters);
      return true;
    } catch (CertPathBuilderException e) {
      return false;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot verify a client certificate path", e);
    }
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

  /**
   * The organization's CA certificates that are valid now: an expired CA vouches for no one, even
   * though a trust anchor's own dates are not part of path validation.
   */
  private static List<X509Certificate> currentCas(Path directory) {
    List<X509Certificate> cas = new ArrayList<>();
    try (Stream<Path> files = Files.list(directory)) {
      files
          .filter(Files::isRegularFile)
          .sorted()
          .forEach(
              file -> {
                for (X509Certificate ca : Certificates.read(file)) {
                  try {
                    ca.checkValidity();
                    cas.add(ca);
                  } catch (CertificateException e) {
                    // expired or not yet valid: not an anchor
                  }
                }
              });
    } catch (IOException e) {
      // An unreadable folder vouches for no one.
      return List.of();
    }
    return cas;
  }

  private static Status denied(String reason) {
    return Status.PERMISSION_DENIED.withDescription("OE0102: invalid MSPID: " + reason);
  }
}
