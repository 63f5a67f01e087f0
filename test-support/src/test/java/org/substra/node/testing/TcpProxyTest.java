package org.substra.node.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TcpProxyTest {

  private ServerSocket echo;
  private TcpProxy proxy;

  @BeforeEach
  void startEchoServerBehindProxy() throws IOException {
    echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor =
        new Thread(
            () -> {
              while (!echo.isClosed()) {
                try {
                  Socket socket = echo.accept();
                  new Thread(() -> echoBack(socket)).start();
                } catch (IOException e) {
                  return;
                }
              }
            });
    acceptor.setDaemon(true);
    acceptor.start();
    proxy = TcpProxy.start("127.0.0.1", echo.getLocalPort());
  }

  @AfterEach
  void stop() throws IOException {
    proxy.close();
    echo.close();
  }

  @Test
  void relaysBytesBothWays() throws IOException {
    assertEquals("hello", roundTrip("hello"));
  }

  @Test
  void cutResetsOpenConnectionsAndRefusesNewOnesUntilRestored() throws IOException {
    try (Socket open = new Socket("127.0.0.1", proxy.port())) {
      open.getOutputStream().write('x');
      assertEquals('x', open.getInputStream().read());

      proxy.cut();

      assertEquals(-1, readAfterCut(open), "the open connection is closed by the cut");
      assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", proxy.port()).close());
    }

    proxy.restore();

    assertEquals("back", roundTrip("back"));
  }

  private static int readAfterCut(Socket socket) {
    try {
      return socket.getInputStream().read();
    } catch (IOException e) {
      return -1;
    }
  }

  private String roundTrip(String text) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", proxy.port())) {
      socket.getOutputStream().write(text.getBytes());
      byte[] buffer = new byte[text.length()];
      int read = 0;
      InputStream in = socket.getInputStream();
      while (read < buffer.length) {
        read += in.read(buffer, read, buffer.length - read);
      }
      return new String(buffer);
    }
  }

  private static void echoBack(Socket socket) {
    try (socket;
        InputStream in = socket.getInputStream();
        OutputStream out = socket.getOutputStream()) {
      in.transferTo(out);
    } catch (IOException e) {
      // Client went away.
    }
  }
}
