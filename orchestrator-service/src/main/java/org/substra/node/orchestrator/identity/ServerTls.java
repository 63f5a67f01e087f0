package org.substra.node.orchestrator.identity;

import io.grpc.netty.GrpcSslContexts;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.quarkus.grpc.api.ServerBuilderCustomizer;
import io.quarkus.grpc.runtime.config.GrpcServerConfiguration;
import io.quarkus.runtime.StartupEvent;
import io.vertx.grpc.VertxServerBuilder;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.net.ssl.SSLException;

/**
 * Puts the reference's TLS settings on the gRPC server: its certificate, and for mTLS a trust pool
 * made of the server CA and every organization's CA files, so that a new organization is trusted by
 * dropping its CA into the directory (the chart mounts one secret per organization).
 */
@Singleton
public class ServerTls implements ServerBuilderCustomizer<VertxServerBuilder> {

  private final TlsConfig config;

  ServerTls(TlsConfig config) {
    this.config = config;
  }

  /**
   * Quarkus only logs a failure to start the gRPC server, so a bad TLS setting is checked here,
   * where it stops the service from starting.
   */
  void checkAtStartup(@Observes StartupEvent startup) {
    if (config.enabled()) {
      sslContext();
    }
  }

  @Override
  public void customize(GrpcServerConfiguration configuration, VertxServerBuilder builder) {
    if (!config.enabled()) {
      return;
    }
    // Vert.x leaves the Netty builder's TLS alone when its own SSL options are off, as here.
    builder.nettyBuilder().sslContext(sslContext());
  }

  private SslContext sslContext() {
    Path cert = required(config.certPath(), "orchestrator.tls.cert-path");
    Path key = required(config.keyPath(), "orchestrator.tls.key-path");
    try {
      SslContextBuilder builder =
          GrpcSslContexts.configure(SslContextBuilder.forServer(cert.toFile(), key.toFile()))
              .protocols("TLSv1.3", "TLSv1.2");
      if (config.mtlsEnabled()) {
        builder.trustManager(trustedCas().toArray(X509Certificate[]::new));
        builder.clientAuth(ClientAuth.REQUIRE);
      }
      return builder.build();
    } catch (SSLException e) {
      throw new IllegalStateException("cannot set up the gRPC server's TLS: " + e.getMessage(), e);
    }
  }

  private List<X509Certificate> trustedCas() {
    List<X509Certificate> cas = new ArrayList<>();
    config.serverCaCert().ifPresent(file -> cas.addAll(Certificates.read(file)));
    Path directory = required(config.clientCaCertDir(), "orchestrator.tls.client-ca-cert-dir");
    try (Stream<Path> files = Files.walk(directory, 2)) {
      files
          .filter(file -> Files.isRegularFile(file))
          .filter(file -> !directory.equals(file.getParent()))
          .sorted()
          .forEach(file -> cas.addAll(Certificates.read(file)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the client CA directory " + directory, e);
    }
    if (cas.isEmpty()) {
      throw new IllegalStateException(
          "mTLS is enabled but no CA certificate was found in " + directory);
    }
    return cas;
  }

  private static Path required(java.util.Optional<Path> path, String property) {
    return path.orElseThrow(
        () -> new IllegalStateException(property + " is required when TLS is enabled"));
  }
}
