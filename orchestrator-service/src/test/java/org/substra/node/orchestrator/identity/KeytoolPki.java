package org.substra.node.orchestrator.identity;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Certificate authorities and the certificates they issue, made for one test run with the JDK's
 * {@code keytool} (no certificate library is on the test classpath). Each entity lives in {@code
 * <directory>/<name>.p12} (its key) and {@code <name>.pem} (its certificate).
 */
final class KeytoolPki {

  private static final String PASSWORD = "test-only";

  private final Path directory;

  KeytoolPki(Path directory) {
    this.directory = directory;
  }

  /** A self-signed CA certificate for {@code organization}. */
  void rootCa(String name, String organization) {
    keytool(
        "-genkeypair",
        "-keystore",
        keystore(name),
        "-alias",
        name,
        "-dname",
        dname(name, organization),
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-validity",
        "30",
        "-ext",
        "bc:c=ca:true",
        "-ext",
        "ku:c=keyCertSign,cRLSign");
    keytool("-exportcert", "-rfc", "-keystore", keystore(name), "-alias", name, "-file", pem(name));
  }

  /** A CA certificate for {@code organization} issued by {@code issuer}. */
  void intermediateCa(String name, String organization, String issuer) {
    issue(name, organization, issuer, "bc:c=ca:true", "ku:c=keyCertSign,cRLSign");
  }

  /**
   * A client certificate naming {@code organization}, issued by {@code issuer}: whatever an issuer
   * writes in the subject, as a rogue CA would.
   */
  void client(String name, String organization, String issuer) {
    issue(name, organization, issuer, "ku:c=digitalSignature", "eku=clientAuth");
  }

  Path certificateFile(String name) {
    return directory.resolve(name + ".pem");
  }

  X509Certificate certificate(String name) {
    return Certificates.read(certificateFile(name)).get(0);
  }

  PrivateKey privateKey(String name) {
    try (InputStream in = Files.newInputStream(directory.resolve(name + ".p12"))) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(in, PASSWORD.toCharArray());
      return (PrivateKey) store.getKey(name, PASSWORD.toCharArray());
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot read the key of " + name, e);
    }
  }

  private void issue(String name, String organization, String issuer, String... extensions) {
    keytool(
        "-genkeypair",
        "-keystore",
        keystore(name),
        "-alias",
        name,
        "-dname",
        dname(name, organization),
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-validity",
        "30");
    String request = directory.resolve(name + ".csr").toString();
    keytool("-certreq", "-keystore", keystore(name), "-alias", name, "-file", request);
    List<String> arguments =
        new ArrayList<>(
            List.of(
                "-gencert",
                "-keystore",
                keystore(issuer),
                "-alias",
                issuer,
                "-infile",
                request,
                "-outfile",
                pem(name),
                "-rfc",
                "-validity",
                "30"));
    for (String extension : extensions) {
      arguments.add("-ext");
      arguments.add(extension);
    }
    keytool(arguments.toArray(String[]::new));
  }

  private String keystore(String name) {
    return directory.resolve(name + ".p12").toString();
  }

  private String pem(String name) {
    return certificateFile(name).toString();
  }

  private static String dname(String name, String organization) {
    return "CN=" + name + ", O=" + organization;
  }

  private static void keytool(String... arguments) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(arguments));
    command.addAll(List.of("-storetype", "PKCS12", "-storepass", PASSWORD, "-noprompt"));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException("keytool " + arguments[0] + " failed: " + output);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run keytool", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
