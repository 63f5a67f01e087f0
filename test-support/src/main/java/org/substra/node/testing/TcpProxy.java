package org.substra.node.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A loopback TCP relay placed between a service under test and one of its real dependencies. {@link
 * #cut()} behaves like the dependency going away (open connections are reset, new ones refused) and
 * {@link #restore()} like it coming back on the same address, without touching the real server that
 * other tests share.
 */
public final class TcpProxy implements AutoCloseable {

  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  private final String targetHost;
  private final int targetPort;
  private final int port;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private final ExecutorService threads =
      Executors.newCachedThreadPool(
          runnable -> {
            Thread thread = new Thread(runnable, "tcp-proxy");
            thread.setDaemon(true);
            return thread;
          });
  private ServerSocket server;
  private Future<?> acceptLoop;

  private TcpProxy(String targetHost, int targetPort, ServerSocket server) {
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    this.server = server;
    this.port = server.getLocalPort();
    acceptLoop = accept(server);
  }

  /** Starts relaying a free loopback port to {@code targetHost:targetPort}. */
  public static TcpProxy start(String targetHost, int targetPort) {
    try {
      return new TcpProxy(targetHost, targetPort, bind(0));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The loopback port the service under test connects to. */
  public int port() {
    return port;
  }

  /** Resets every relayed connection and refuses new ones until {@link #restore()}. */
  public synchronized void cut() {
    closeQuietly(server);
    // The JDK closes a listening socket for good only once the thread blocked in accept() has
    // woken up; until then the kernel would still queue new connections.
    try {
      acceptLoop.get(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("the proxy on port " + port + " did not stop listening", e);
    }
    sockets.forEach(TcpProxy::closeQuietly);
    sockets.clear();
  }

  /** Accepts connections again, on the same port. */
  public synchronized void restore() {
    if (!server.isClosed()) {
      return;
    }
    try {
      server = bind(port);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen again on port " + port, e);
    }
    acceptLoop = accept(server);
  }

  @Override
  public synchronized void close() {
    if (!server.isClosed()) {
      cut();
    }
    threads.shutdownNow();
  }

  private static ServerSocket bind(int port) throws IOException {
    ServerSocket socket = new ServerSocket();
    // Connections just reset by cut() sit in TIME_WAIT; without this the port could not be reused.
    socket.setReuseAddress(true);
    socket.bind(new InetSocketAddress(LOOPBACK, port), 128);
    return socket;
  }

  private Future<?> accept(ServerSocket listening) {
    return threads.submit(
        () -> {
          while (!listening.isClosed()) {
            try {
              Socket client = listening.accept();
              if (listening.isClosed()) {
                closeQuietly(client);
              } else {
                relay(client);
              }
            } catch (IOException e) {
              // The listening socket was closed by cut() or close().
            }
          }
        });
  }

  private void relay(Socket client) {
    sockets.add(client);
    threads.execute(
        () -> {
          Socket upstream = new Socket();
          sockets.add(upstream);
          try {
            upstream.connect(new InetSocketAddress(targetHost, targetPort), 5_000);
          } catch (IOException e) {
            closeQuietly(client);
            closeQuietly(upstream);
            return;
          }
          threads.execute(() -> pump(client, upstream));
          pump(upstream, client);
        });
  }

  private void pump(Socket from, Socket to) {
    byte[] buffer = new byte[16 * 1024];
    try (InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream()) {
      int read;
      while ((read = in.read(buffer)) >= 0) {
        out.write(buffer, 0, read);
        out.flush();
      }
    } catch (IOException e) {
      // One side went away; closing both below tells the other side.
    } finally {
      closeQuietly(from);
      closeQuietly(to);
      sockets.remove(from);
      sockets.remove(to);
    }
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      // Already closed.
    }
  }
}
