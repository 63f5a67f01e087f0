package org.substra.node.testing;

import io.quarkus.test.common.QuarkusTestResourceConfigurableLifecycleManager;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Puts a {@link TcpProxy} between the service under test and each dependency it names, so that a
 * test can take a dependency away and bring it back. Arguments: {@code dependencies}
 * (comma-separated ids: postgresql, rabbitmq, object-storage, orchestrator) and {@code database}
 * (default {@code substra_test}, followed by the environment variable {@code NODE_TEST_DB_SUFFIX}
 * when set).
 *
 * <p>The real servers are the machine's (see {@link LocalInfrastructure}); the orchestrator is a
 * gRPC health endpoint ({@link OrchestratorHealthEndpoint}) because the orchestrator service is
 * itself a module of this build.
 */
public class LocalDependencies
    implements QuarkusTestResourceConfigurableLifecycleManager<WithLocalDependencies> {

  private static final Map<Dependency, TcpProxy> PROXIES = new EnumMap<>(Dependency.class);
  private static OrchestratorHealthEndpoint orchestrator;

  private List<Dependency> dependencies = List.of();
  private String database;

  @Override
  public void init(WithLocalDependencies annotation) {
    dependencies = List.of(annotation.value());
    // Lets two checkouts of this repository run their tests at once on one machine.
    database = annotation.database() + System.getenv().getOrDefault("NODE_TEST_DB_SUFFIX", "");
  }

  @Override
  public Map<String, String> start() {
    LocalInfrastructure.ensureRunning();
    Map<String, String> config = new HashMap<>();
    for (Dependency dependency : dependencies) {
      TcpProxy proxy = startProxy(dependency);
      synchronized (PROXIES) {
        PROXIES.put(dependency, proxy);
      }
      config.putAll(dependency.settings(proxy.port(), database));
    }
    return config;
  }

  @Override
  public void stop() {
    synchronized (PROXIES) {
      PROXIES.values().forEach(TcpProxy::close);
      PROXIES.clear();
    }
    if (orchestrator != null) {
      orchestrator.close();
      orchestrator = null;
    }
  }

  /** The proxy in front of {@code dependency}, to cut and restore it. */
  public static TcpProxy proxy(Dependency dependency) {
    synchronized (PROXIES) {
      TcpProxy proxy = PROXIES.get(dependency);
      if (proxy == null) {
        throw new IllegalStateException(dependency + " is not among this test's dependencies");
      }
      return proxy;
    }
  }

  private static TcpProxy startProxy(Dependency dependency) {
    return switch (dependency) {
      case POSTGRESQL ->
          TcpProxy.start(LocalInfrastructure.HOST, LocalInfrastructure.POSTGRESQL_PORT);
      case RABBITMQ ->
          TcpProxy.start(LocalInfrastructure.RABBITMQ_HOST, LocalInfrastructure.RABBITMQ_PORT);
      case OBJECT_STORAGE -> TcpProxy.start("127.0.0.1", LocalInfrastructure.S3_PORT);
      case ORCHESTRATOR -> {
        orchestrator = OrchestratorHealthEndpoint.start();
        yield TcpProxy.start("127.0.0.1", orchestrator.port());
      }
    };
  }
}
