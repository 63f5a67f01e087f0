package org.substra.node.api.registration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.substra.node.api.error.ApiException;

/** The streaming multipart parser of data-sample uploads, against bodies as clients write them. */
class MultipartStreamTest {

  private static final String BOUNDARY = "----b0undary";

  private record Read(String name, String filename, byte[] content) {}

  @Test
  void fieldsAndFilesInOrder() throws IOException {
    byte[] body =
        body(
            "--" + BOUNDARY + "\r\n",
            "Content-Disposition: form-data; name=\"json\"\r\n\r\n",
            "{\"a\": 1}\r\n",
            "--" + BOUNDARY + "\r\n",
            "Content-Disposition: form-data; name=\"sample 1\"; filename=\"sample 1\"\r\n",
            "Content-Type: application/zip\r\n\r\n",
            "zip bytes\r\n",
            "--" + BOUNDARY + "--\r\n");

    List<Read> parts = readAll(new ByteArrayInputStream(body), BOUNDARY, 64 * 1024);

    assertEquals(2, parts.size());
    assertEquals("json", parts.get(0).name());
    assertNull(parts.get(0).filename());
    assertEquals("{\"a\": 1}", text(parts.get(0)));
    assertEquals("sample 1", parts.get(1).name());
    assertEquals("sample 1", parts.get(1).filename());
    assertEquals("zip bytes", text(parts.get(1)));
  }

  @Test
  void aFileSplitAcrossBufferAndReadBoundariesComesBackWhole() throws IOException {
    // Content full of near-delimiters: CR LF, "--", and the boundary missing its last byte.
    Random random = new Random(42);
    ByteArrayOutputStream content = new ByteArrayOutputStream();
    for (int i = 0; i < 2000; i++) {
      byte[] noise = new byte[random.nextInt(50)];
      random.nextBytes(noise);
      content.writeBytes(noise);
      String near = "\r\n--" + BOUNDARY;
      content.writeBytes(
          near.substring(0, random.nextInt(near.length())).getBytes(StandardCharsets.ISO_8859_1));
    }
    byte[] file = content.toByteArray();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(
        ("--"
                + BOUNDARY
                + "\r\nContent-Disposition: form-data; name=\"path\"; filename=\"path\"\r\n\r\n")
            .getBytes(StandardCharsets.ISO_8859_1));
    body.writeBytes(file);
    body.writeBytes(("\r\n--" + BOUNDARY + "--").getBytes(StandardCharsets.ISO_8859_1));

    for (int bufferSize : new int[] {1, 100, 17_000}) {
      List<Read> parts =
          readAll(
              new Trickle(new ByteArrayInputStream(body.toByteArray()), 7), BOUNDARY, bufferSize);
      assertEquals(1, parts.size());
      assertArrayEquals(file, parts.get(0).content(), "buffer of " + bufferSize);
    }
  }

  @Test
  void theLastPartsLengthIsGuessedFromTheBodysLength() throws IOException {
    String head =
        "--"
            + BOUNDARY
            + "\r\nContent-Disposition: form-data; name=\"json\"\r\n\r\n{}\r\n--"
            + BOUNDARY
            + "\r\nContent-Disposition: form-data; name=\"path\"; filename=\"path\"\r\n\r\n";
    byte[] file = new byte[100_000];
    new Random(7).nextBytes(file);
    for (String closing : new String[] {"--\r\n", "--"}) {
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      body.writeBytes(head.getBytes(StandardCharsets.ISO_8859_1));
      body.writeBytes(file);
      body.writeBytes(("\r\n--" + BOUNDARY + closing).getBytes(StandardCharsets.ISO_8859_1));
      byte[] bytes = body.toByteArray();

      for (int bufferSize : new int[] {100, 17_000}) {
        MultipartStream stream =
            new MultipartStream(
                new Trickle(new ByteArrayInputStream(bytes), 7),
                BOUNDARY,
                bytes.length,
                bufferSize);
        MultipartStream.Part json = stream.next();
        // Not the last part: the guess is what follows it, more than its content.
        assertTrue(json.lengthIfLast() > 2);
        assertEquals("{}", new String(json.content().readAllBytes(), StandardCharsets.UTF_8));
        MultipartStream.Part path = stream.next();
        // Right when the body ends with a line break; two bytes short when it does not.
        assertEquals(
            closing.endsWith("\r\n") ? file.length : file.length - 2,
            path.lengthIfLast(),
            closing + ", buffer of " + bufferSize);
        assertArrayEquals(file, path.content().readAllBytes());
        assertNull(stream.next());
      }
    }
    byte[] unknown = body(head, "x\r\n--" + BOUNDARY + "--\r\n");
    MultipartStream stream = new MultipartStream(new ByteArrayInputStream(unknown), BOUNDARY);
    stream.next();
    assertEquals(-1, stream.next().lengthIfLast());
  }

  @Test
  void preambleEpilogueEmptyPartsAndQuotedNames() throws IOException {
    byte[] body =
        body(
            "a preamble\r\n",
            "--" + BOUNDARY + "  \r\n",
            "content-disposition: form-data; name=\"with \\\"quotes\\\"; and semicolon\";"
                + " filename=\"\"\r\n\r\n",
            "\r\n",
            "--" + BOUNDARY + "\r\n",
            "Content-Disposition: form-data; name=plain\r\n\r\n",
            "\r\n",
            "--" + BOUNDARY + "--\r\nan epilogue");

    List<Read> parts = readAll(new ByteArrayInputStream(body), BOUNDARY, 64 * 1024);

    assertEquals(2, parts.size());
    assertEquals("with \"quotes\"; and semicolon", parts.get(0).name());
    assertEquals("", parts.get(0).filename());
    assertEquals(0, parts.get(0).content().length);
    assertEquals("plain", parts.get(1).name());
    assertEquals(0, parts.get(1).content().length);
  }

  @Test
  void unreadPartsAreSkipped() throws IOException {
    byte[] body =
        body(
            "--" + BOUNDARY + "\r\n",
            "Content-Disposition: form-data; name=\"first\"; filename=\"f\"\r\n\r\n",
            "x".repeat(100_000) + "\r\n",
            "--" + BOUNDARY + "\r\n",
            "Content-Disposition: form-data; name=\"second\"\r\n\r\n",
            "2\r\n",
            "--" + BOUNDARY + "--");
    MultipartStream parts = new MultipartStream(new ByteArrayInputStream(body), BOUNDARY);

    assertEquals("first", parts.next().name());
    MultipartStream.Part second = parts.next();
    assertEquals("second", second.name());
    assertEquals("2", MultipartStream.text(second, 10));
    assertNull(parts.next());
  }

  @Test
  void malformedBodiesAre400() {
    String header = "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\n";
    for (byte[] body :
        List.of(
            body(header, "no closing delimiter"),
            body("no delimiter at all"),
            body("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"f\""),
            body("--" + BOUNDARY + "\r\nContent-Type: text/plain\r\n\r\nx\r\n--" + BOUNDARY + "--"),
            body("--" + BOUNDARY + "garbage\r\n\r\n"))) {
      ApiException refused =
          assertThrows(
              ApiException.class,
              () -> readAll(new ByteArrayInputStream(body), BOUNDARY, 64 * 1024),
              new String(body, StandardCharsets.ISO_8859_1));
      assertEquals(400, refused.status());
    }
  }

  @Test
  void theBoundaryComesFromTheContentType() {
    assertEquals("abc", MultipartStream.boundary("multipart/form-data; boundary=abc"));
    assertEquals("a b;c", MultipartStream.boundary("multipart/form-data;boundary=\"a b;c\""));
    assertEquals("x", MultipartStream.boundary("multipart/form-data; charset=utf-8; BOUNDARY=x"));
    assertEquals(
        400, assertThrows(ApiException.class, () -> MultipartStream.boundary(null)).status());
    assertEquals(
        400,
        assertThrows(ApiException.class, () -> MultipartStream.boundary("multipart/form-data"))
            .status());
  }

  @Test
  void aFieldOverItsLimitIs413() throws IOException {
    byte[] body =
        body(
            "--" + BOUNDARY + "\r\n",
            "Content-Disposition: form-data; name=\"json\"\r\n\r\n",
            "x".repeat(11) + "\r\n",
            "--" + BOUNDARY + "--");
    MultipartStream.Part json =
        new MultipartStream(new ByteArrayInputStream(body), BOUNDARY).next();
    assertEquals(
        413, assertThrows(ApiException.class, () -> MultipartStream.text(json, 10)).status());
  }

  private static List<Read> readAll(InputStream in, String boundary, int bufferSize)
      throws IOException {
    MultipartStream stream = new MultipartStream(in, boundary, -1, bufferSize);
    List<Read> parts = new ArrayList<>();
    for (MultipartStream.Part part; (part = stream.next()) != null; ) {
      ByteArrayOutputStream content = new ByteArrayOutputStream();
      // Small odd reads, so that reads end anywhere in the buffer.
      byte[] chunk = new byte[13];
      for (int n; (n = part.content().read(chunk)) >= 0; ) {
        content.write(chunk, 0, n);
      }
      assertTrue(part.content().read() < 0);
      parts.add(new Read(part.name(), part.filename(), content.toByteArray()));
    }
    return parts;
  }

  private static String text(Read part) {
    return new String(part.content(), StandardCharsets.UTF_8);
  }

  private static byte[] body(String... lines) {
    return String.join("", lines).getBytes(StandardCharsets.UTF_8);
  }

  /** A network read: a few bytes at a time. */
  private static final class Trickle extends FilterInputStream {
    private final int most;

    Trickle(InputStream in, int most) {
      super(in);
      this.most = most;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      return super.read(b, off, Math.min(len, most));
    }
  }
}
