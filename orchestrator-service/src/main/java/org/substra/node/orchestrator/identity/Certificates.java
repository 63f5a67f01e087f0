package org.substra.node.orchestrator.identity;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/** X.509 helpers for the mspid proof (spec §2.3). */
final class Certificates {

  private Certificates() {}

  static List<X509Certificate> read(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      List<X509Certificate> certificates = new ArrayList<>();
      CertificateFactory.getInstance("X.509")
          .generateCertificates(in)
          .forEach(certificate -> certificates.add((X509Certificate) certificate));
      return certificates;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read certificate file " + file, e);
    } catch (CertificateException e) {
      throw new IllegalStateException("not a PEM certificate file: " + file, e);
    }
  }

  /** The {@code O=} values of the subject. */
  static List<String> organizations(X509Certificate certificate) {
    List<String> organizations = new ArrayList<>();
    try {
      for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
        if ("O".equalsIgnoreCase(rdn.getType())) {
          organizations.add(String.valueOf(rdn.getValue()));
        }
      }
    } catch (InvalidNameException e) {
      return List.of();
    }
    return organizations;
  }
}
