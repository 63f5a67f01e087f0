package org.substra.node.api.registration;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import org.substra.node.api.error.ApiException;

/**
 * A {@code multipart/form-data} body read part by part as it arrives (RFC 7578), so that a file
 * part can go to object storage without being written to disk or held in memory first. Each part's
 * content must be read (or skipped) before the next part is asked for.
 */
public final class MultipartStream {

  /** Headers of one part, and of the whole header block, are bounded: the rest is a 400. */
  private static final int MAX_HEADERS = 16 * 1024;

  private final InputStream in;
  private final long bodyLength;
  private final byte[] delimiter;
  private final int closingLength;
  private final int[] delimiterSkip;
  private final byte[] buffer;
  private int pos;
  private int limit;
  private boolean eof;

  /** Bytes read from the body so far. */
  private long read;

  private Part current;
  private boolean finished;

  /** No delimiter starts before this index of the buffer. */
  private int scanned;

  /**
   * One part: its form name, its file name (null for a plain field), its content and, when the
   * body's length is known, the content's length if this part is the last one and the body ends as
   * most clients end it (-1 otherwise): a guess, right for the single file of an upload.
   */
  public record Part(String name, String filename, InputStream content, long lengthIfLast) {
    public boolean isFile() {
      return filename != null;
    }
  }

  public MultipartStream(InputStream in, String boundary) {
    this(in, boundary, -1);
  }

  /** {@code bodyLength}: the body's Content-Length, -1 when unknown. */
  public MultipartStream(InputStream in, String boundary, long bodyLength) {
    this(in, boundary, bodyLength, 64 * 1024);
  }

  MultipartStream(InputStream in, String boundary, long bodyLength, int bufferSize) {
    this.in = in;
    this.bodyLength = bodyLength;
    this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    // The closing delimiter as curl, requests, browsers and Go write it: "--" and a line break.
    this.closingLength = delimiter.length + 4;
    this.delimiterSkip = skipTable(delimiter);
    this.buffer = new byte[Math.max(bufferSize, MAX_HEADERS + delimiter.length + 4)];
    // The first delimiter has no CRLF before it: pretend it had one, so every delimiter is alike.
    buffer[0] = '\r';
    buffer[1] = '\n';
    limit = 2;
  }

  /** The boundary of a {@code multipart/form-data} content type; 400 when there is none. */
  public static String boundary(String contentType) {
    String boundary = contentType == null ? null : parameter(contentType, "boundary");
    if (boundary != null && !boundary.isEmpty() && boundary.length() <= 70) {
      return boundary;
    }
    throw malformed("no boundary in the content type");
  }

  /** The next part, null after the last one; the previous part's unread content is skipped. */
  public Part next() throws IOException {
    if (finished) {
      return null;
    }
    if (current != null) {
      current.content().transferTo(java.io.OutputStream.nullOutputStream());
    } else if (!skipToDelimiter()) {
      throw malformed("no part");
    }
    // After a delimiter: "--" closes the body, else optional blanks then CRLF, then the headers.
    ensure(2);
    if (limit - pos >= 2 && buffer[pos] == '-' && buffer[pos + 1] == '-') {
      finished = true;
      current = null;
      return null;
    }
    String headers = headerBlock();
    String disposition = null;
    for (String line : headers.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("content-disposition")) {
        disposition = line.substring(colon + 1);
      }
    }
    if (disposition == null) {
      throw malformed("a part has no Content-Disposition header");
    }
    String name = parameter(disposition, "name");
    if (name == null) {
      throw malformed("a part has no name");
    }
    long start = read - limit + pos;
    long lengthIfLast = bodyLength < 0 ? -1 : Math.max(-1, bodyLength - start - closingLength);
    current = new Part(name, parameter(disposition, "filename"), new Content(), lengthIfLast);
    return current;
  }

  /** Discards the preamble up to the first delimiter; false when there is none. */
  private boolean skipToDelimiter() throws IOException {
    while (true) {
      int found = indexOfDelimiter();
      if (found >= 0) {
        pos = found + delimiter.length;
        return true;
      }
      pos = Math.max(pos, limit - delimiter.length + 1);
      if (!fill()) {
        return false;
      }
    }
  }

  /** The header lines of a part up to the blank line, consumed. */
  private String headerBlock() throws IOException {
    while (true) {
      int end = indexOf(HEADER_END, pos);
      if (end >= 0) {
        // Starts with the rest of the delimiter line: transport padding, then CRLF.
        String block = new String(buffer, pos, end - pos, StandardCharsets.UTF_8);
        pos = end + HEADER_END.length;
        int lineEnd = block.indexOf("\r\n");
        if (lineEnd < 0) {
          // No header at all: a part with an empty header block.
          if (!block.isBlank()) {
            throw malformed("garbage after a boundary");
          }
          return "";
        }
        if (!block.substring(0, lineEnd).isBlank()) {
          throw malformed("garbage after a boundary");
        }
        return block.substring(lineEnd + 2);
      }
      if (limit - pos > MAX_HEADERS) {
        throw malformed("part headers too long");
      }
      if (!fill()) {
        throw malformed("truncated part headers");
      }
    }
  }

  private static final byte[] HEADER_END = {'\r', '\n', '\r', '\n'};
  private static final int[] HEADER_END_SKIP = skipTable(HEADER_END);

  /** The content of the current part: everything up to the next delimiter. */
  private final class Content extends InputStream {
    private boolean done;

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] target, int offset, int length) throws IOException {
      if (done) {
        return -1;
      }
      if (length == 0) {
        return 0;
      }
      while (true) {
        int found = indexOfDelimiter();
        int safe = found >= 0 ? found : Math.max(pos, limit - delimiter.length + 1);
        if (safe > pos) {
          int n = Math.min(length, safe - pos);
          System.arraycopy(buffer, pos, target, offset, n);
          pos += n;
          return n;
        }
        if (found == pos) {
          pos += delimiter.length;
          done = true;
          return -1;
        }
        if (!fill()) {
          throw malformed("the body ends inside a part");
        }
      }
    }
  }

  /** Compacts the buffer and reads more; false at the end of the body. */
  private boolean fill() throws IOException {
    if (eof) {
      return false;
    }
    if (pos > 0) {
      System.arraycopy(buffer, pos, buffer, 0, limit - pos);
      limit -= pos;
      scanned = Math.max(0, scanned - pos);
      pos = 0;
    }
    int n = in.read(buffer, limit, buffer.length - limit);
    if (n < 0) {
      eof = true;
      return false;
    }
    limit += n;
    read += n;
    return true;
  }

  /** Makes at least {@code count} bytes available after {@code pos}, when the body has them. */
  private void ensure(int count) throws IOException {
    while (limit - pos < count && fill()) {
      // reading
    }
  }

  /** Where the delimiter is, searching each byte once however small the reads. */
  private int indexOfDelimiter() {
    int found = indexOf(delimiter, Math.max(pos, scanned));
    scanned = found >= 0 ? found : Math.max(pos, limit - delimiter.length + 1);
    return found;
  }

  /**
   * Horspool's search: a delimiter is some 50 bytes, so most bytes of a file part are skipped,
   * never compared (a byte-by-byte scan costs more than hashing the part).
   */
  private int indexOf(byte[] pattern, int from) {
    int[] skip = pattern == delimiter ? delimiterSkip : HEADER_END_SKIP;
    int m = pattern.length;
    int lastByte = m - 1;
    for (int i = from; i <= limit - m; i += skip[buffer[i + lastByte] & 0xff]) {
      if (buffer[i + lastByte] == pattern[lastByte]
          && Arrays.equals(buffer, i, i + lastByte, pattern, 0, lastByte)) {
        return i;
      }
    }
    return -1;
  }

  private static int[] skipTable(byte[] pattern) {
    int[] skip = new int[256];
    Arrays.fill(skip, pattern.length);
    for (int i = 0; i < pattern.length - 1; i++) {
      skip[pattern[i] & 0xff] = pattern.length - 1 - i;
    }
    return skip;
  }

  /** A parameter of a Content-Disposition value, e.g. {@code name="json"}; null when absent. */
  static String parameter(String disposition, String key) {
    int i = 0;
    int length = disposition.length();
    while (i < length) {
      int semicolon = disposition.indexOf(';', i);
      if (semicolon < 0) {
        return null;
      }
      i = semicolon + 1;
      int equals = disposition.indexOf('=', i);
      if (equals < 0) {
        return null;
      }
      String param = disposition.substring(i, equals).trim().toLowerCase(Locale.ROOT);
      i = equals + 1;
      while (i < length && disposition.charAt(i) == ' ') {
        i++;
      }
      String value;
      if (i < length && disposition.charAt(i) == '"') {
        StringBuilder quoted = new StringBuilder();
        i++;
        while (i < length && disposition.charAt(i) != '"') {
          char c = disposition.charAt(i);
          if (c == '\\' && i + 1 < length) {
            c = disposition.charAt(++i);
          }
          quoted.append(c);
          i++;
        }
        i++;
        value = quoted.toString();
      } else {
        int end = disposition.indexOf(';', i);
        end = end < 0 ? length : end;
        value = disposition.substring(i, end).trim();
        i = end;
      }
      if (param.equals(key)) {
        return value;
      }
    }
    return null;
  }

  static ApiException malformed(String why) {
    return ApiException.detail(400, "Malformed multipart body: " + why + ".");
  }

  /** Reads a form field's content as text, refusing more than {@code max} bytes. */
  public static String text(Part part, int max) throws IOException {
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    byte[] chunk = new byte[8192];
    for (int n; (n = part.content().read(chunk)) > 0; ) {
      if (text.size() + n > max) {
        throw ApiException.detail(
            413, "Form field too large: \"" + part.name() + "\" is over " + max + " bytes.");
      }
      text.write(chunk, 0, n);
    }
    return text.toString(StandardCharsets.UTF_8);
  }
}
