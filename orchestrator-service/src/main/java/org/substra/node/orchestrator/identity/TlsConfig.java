package org.substra.node.orchestrator.identity;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Transport security of the gRPC server (spec §2.3), the reference's {@code ORCHESTRATOR_TLS_*}
 * settings: server TLS, client certificates (mTLS) trusted from one CA directory per organization,
 * and the check that a client's certificate proves the {@code mspid} it sends.
 */
@ConfigMapping(prefix = "orchestrator.tls")
public interface TlsConfig {

  /** Serve TLS (minimum TLS 1.2) with {@link #certPath()} and {@link #keyPath()}. */
  @WithDefault("false")
  boolean enabled();

  /** The server certificate chain (PEM). */
  Optional<Path> certPath();

  /** The server private key (PEM, PKCS#8). */
  Optional<Path> keyPath();

  /** A CA trusted for client certificates besides the organizations' ones (PEM). */
  Optional<Path> serverCaCert();

  /** Require and verify client certificates. */
  @WithDefault("false")
  boolean mtlsEnabled();

  /** One folder per organization id holding that organization's CA certificates (PEM). */
  Optional<Path> clientCaCertDir();

  /** Refuse a call whose {@code mspid} the client certificate does not prove. */
  @WithDefault("false")
  boolean verifyClientMspId();
}
