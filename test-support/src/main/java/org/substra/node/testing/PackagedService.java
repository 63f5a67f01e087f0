package org.substra.node.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * A service's packaged application ({@code <module>/target/quarkus-app/quarkus-run.jar}) run as a
 * child process, for tests that need a real process: one they can kill like a crash would, or a
 * dependency that must not share the test's JVM.
 */
public final class PackagedService implements AutoCloseable {

  private static final String SHARED = PackagedService.class.getName() + ".shared.";

  private final String module;
  private final ProcessHandle process;
  private final int httpPort;
  private final Map<String, String> settings;

  private PackagedService(
      String module, ProcessHandle process, int httpPort, Map<String, String> settings) {
    this.module = module;
    this.process = process;
    this.httpPort = httpPort;
    this.settings = Map.copyOf(settings);
  }

  /**
   * The one process registered as {@code name} in this JVM: started by {@code starter} on first use
   * (or once the previous one died), stopped when the JVM exits. Every Quarkus application of a
   * test run loads the test classes anew, so a static field would start one process per
   * application, each cleaning the database the previous ones still use; the registry lives in the
   * system properties, which only hold JDK types and so are seen alike by every class loader.
   */
  public static PackagedService shared(String name, Supplier<PackagedService> starter) {
    // Strings only: other code (Narayana, for one) reads every system property as a string.
    Properties registry = System.getProperties();
    synchronized (registry) {
      String known = registry.getProperty(SHARED + name);
      if (known != null) {
        List<String> lines = known.lines().toList();
        Optional<ProcessHandle> process = ProcessHandle.of(Long.parseLong(lines.get(0)));
        if (process.isPresent() && process.get().isAlive()) {
          Map<String, String> settings = new LinkedHashMap<>();
          lines.stream()
              .skip(3)
              .forEach(line -> settings.put(line.split("=", 2)[0], line.split("=", 2)[1]));
          return new PackagedService(
              lines.get(1), process.get(), Integer.parseInt(lines.get(2)), settings);
        }
      }
      PackagedService started = starter.get();
      StringBuilder entry = new StringBuilder();
      entry.append(started.process.pid()).append('\n');
      entry.append(started.module).append('\n').append(started.httpPort);
      started.settings.forEach(
          (key, value) -> entry.append('\n').append(key).append('=').append(value));
      registry.setProperty(SHARED + name, entry.toString());
      ProcessHandle process = started.process;
      Runtime.getRuntime().addShutdownHook(new Thread(process::destroy));
      return started;
    }
  }

  /**
   * Starts {@code module}'s application with {@code settings} (system properties) on a free HTTP
   * port, its output appended to {@code log}, and waits until {@code probe} answers 200.
   */
  public static PackagedService start(
      String module, Map<String, String> settings, Path log, String probe) {
    return start(module, settings, log, probe, freePort());
  }

  /**
   * Starts it on {@code httpPort}: for a service whose address the test application must be
   * configured with before the service can start.
   */
  public static PackagedService start(
      String module, Map<String, String> settings, Path log, String probe, int httpPort) {
    Path jar = locate(module + "/target/quarkus-app/quarkus-run.jar");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // Small and quick to start: these processes live for one test class at most.
    command.addAll(
        List.of(
            "-Xmx256m",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-Dquarkus.http.port=" + httpPort));
    settings.forEach((key, value) -> command.add("-D" + key + "=" + value));
    command.addAll(List.of("-jar", jar.toString()));
    try {
      Files.createDirectories(log.toAbsolutePath().getParent());
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
      PackagedService service = new PackagedService(module, process.toHandle(), httpPort, settings);
      service.awaitReady(probe, Duration.ofSeconds(90), log);
      return service;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public int httpPort() {
    return httpPort;
  }

  /** The value of a system property the process was started with. */
  public String setting(String key) {
    String value = settings.get(key);
    if (value == null) {
      throw new IllegalArgumentException(module + " was started without " + key);
    }
    return value;
  }

  /** SIGKILL: no shutdown hook, no last acknowledgement, no last commit. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    awaitExit(Duration.ofSeconds(30));
  }

  /** A normal stop, forced after 10 s. */
  @Override
  public void close() {
    process.destroy();
    if (!awaitExit(Duration.ofSeconds(10))) {
      process.destroyForcibly();
    }
  }

  private boolean awaitExit(Duration patience) {
    try {
      process.onExit().get(patience.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (ExecutionException | TimeoutException e) {
      return false;
    }
  }

  private void awaitReady(String probe, Duration patience, Path log) {
    long deadline = System.nanoTime() + patience.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(module + " exited; see " + log.toAbsolutePath());
      }
      try {
        HttpURLConnection connection =
            (HttpURLConnection)
                URI.create("http://127.0.0.1:" + httpPort + probe).toURL().openConnection();
        connection.setConnectTimeout(500);
        connection.setReadTimeout(5000);
        if (connection.getResponseCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // Still starting.
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    close();
    throw new IllegalStateException(
        module + " not ready within " + patience + "; see " + log.toAbsolutePath());
  }

  /** {@code relative} in this checkout, searched from the working directory upwards. */
  static Path locate(String relative) {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve(relative);
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException(relative + " not found: package it first (./mvnw package)");
  }

  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
