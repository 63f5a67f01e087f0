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
import java.util.HexFormat;
import java.util.List;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/** X.509 helpers for the mspid proof (spec §2.3). */
final class Certificates {

  private static final String SUBJECT_KEY_ID = "2.5.29.14";
  private static final String AUTHORITY_KEY_ID = "2.5.29.35";

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

  /** The subject key identifier, hex, or null. */
  static String subjectKeyId(X509Certificate certificate) {
    // extension value = OCTET STRING { OCTET STRING keyIdentifier }
    byte[] value = unwrap(certificate.getExtensionValue(SUBJECT_KEY_ID), 0x04);
    return hex(unwrap(value, 0x04));
  }

  /** The keyIdentifier of the authority key identifier, hex, or null. */
  static String authorityKeyId(X509Certificate certificate) {
    // extension value = OCTET STRING { SEQUENCE { [0] keyIdentifier, ... } }
    byte[] value = unwrap(certificate.getExtensionValue(AUTHORITY_KEY_ID), 0x04);
    return hex(unwrap(unwrap(value, 0x30), 0x80));
  }

  private static String hex(byte[] bytes) {
    return bytes == null ? null : HexFormat.of().formatHex(bytes);
  }

  /** The content of the DER element at the start of {@code der} if its tag is {@code tag}. */
  private static byte[] unwrap(byte[] der, int tag) {
    if (der == null || der.length < 2 || (der[0] & 0xff) != tag) {
      return null;
    }
    return content(der, 0);
  }

  /** The content bytes of the DER element at {@code offset}, or null when malformed. */
  private static byte[] content(byte[] der, int offset) {
    if (der.length < offset + 2) {
      return null;
    }
    int first = der[offset + 1] & 0xff;
    int start = offset + 2;
    int length = first;
    if (first >= 0x80) {
      int bytes = first & 0x7f;
      if (bytes > 3 || der.length < start + bytes) {
        return null;
      }
      length = 0;
      for (int i = 0; i < bytes; i++) {
        length = (length << 8) | (der[start + i] & 0xff);
      }
      start += bytes;
    }
    if (der.length < start + length) {
      return null;
    }
    byte[] content = new byte[length];
    System.arraycopy(der, start, content, 0, length);
    return content;
  }
}
