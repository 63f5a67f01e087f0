package org.substra.node.api.storage;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The S3 requests of a streamed upload (one put, or a multipart upload), signed by {@link S3Signer}
 * with an unsigned payload, so that no byte is hashed for the signature on either side. Same
 * endpoint and credentials as the minio client.
 */
@ApplicationScoped
class MultipartUploads {

  private static final Pattern UPLOAD_ID = Pattern.compile("<UploadId>([^<]*)</UploadId>");
  private static final Pattern ETAG = Pattern.compile("<ETag>([^<]*)</ETag>");
  private static final String OCTET_STREAM = "application/octet-stream";

  private final URI endpoint;
  private final String host;
  private final S3Signer signer;
  private final HttpClient http;

  MultipartUploads(
      @ConfigProperty(name = "quarkus.minio.host") String host,
      @ConfigProperty(name = "quarkus.minio.port") Optional<Integer> port,
      @ConfigProperty(name = "quarkus.minio.secure", defaultValue = "false") boolean secure,
      @ConfigProperty(name = "quarkus.minio.access-key") String accessKey,
      @ConfigProperty(name = "quarkus.minio.secret-key") String secretKey,
      @ConfigProperty(name = "quarkus.minio.region", defaultValue = "us-east-1") String region) {
    this.endpoint = endpoint(host, port, secure);
    this.host = hostHeader(endpoint);
    this.signer = new S3Signer(accessKey, secretKey, region);
    // HTTP/1.1: over plain HTTP the client would otherwise offer an h2c upgrade with each body.
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
  }

  /** The minio client's endpoint: {@code host} may carry the scheme and the port, or not. */
  static URI endpoint(String host, Optional<Integer> port, boolean secure) {
    URI uri = URI.create(host.contains("://") ? host : (secure ? "https://" : "http://") + host);
    int chosen = uri.getPort() != -1 ? uri.getPort() : port.orElse(-1);
    return URI.create(uri.getScheme() + "://" + uri.getHost() + (chosen != -1 ? ":" + chosen : ""));
  }

  /** The Host header the JDK client sends (the port only when not the scheme's), as signed. */
  private static String hostHeader(URI endpoint) {
    int port = endpoint.getPort();
    boolean usual = port == -1 || port == ("https".equals(endpoint.getScheme()) ? 443 : 80);
    return usual ? endpoint.getHost() : endpoint.getHost() + ":" + port;
  }

  /** Puts a whole object in one request. */
  void put(String bucket, String object, byte[] content, int length) throws IOException {
    send(putRequest(bucket, object, wrapping(content, length)));
  }

  private HttpRequest putRequest(String bucket, String object, BodyPublisher body) {
    return request("PUT", bucket, object, "", Map.of("content-type", OCTET_STREAM), body);
  }

  /**
   * Opens a put of {@code length} bytes whose body the caller writes, blocking, as it reads its
   * source: the bytes go from the caller's thread to the socket without a hand-over (the JDK
   * HttpClient's reactive body costs a thread and a copy per chunk, a tenth of the upload's time).
   * Closing the body and reading the response ends it; {@code disconnect()} drops it, storing
   * nothing.
   */
  HttpURLConnection openPut(String bucket, String object, long length) throws IOException {
    String path = S3Signer.encodePath("/" + bucket + "/" + object);
    HttpURLConnection connection =
        (HttpURLConnection) URI.create(endpoint + path).toURL().openConnection();
    connection.setRequestMethod("PUT");
    connection.setDoOutput(true);
    connection.setFixedLengthStreamingMode(length);
    connection.setConnectTimeout(10_000);
    signedHeaders("PUT", path, "", Map.of("content-type", OCTET_STREAM))
        .forEach(connection::setRequestProperty);
    return connection;
  }

  /** Starts a multipart upload, answering its id. */
  String create(String bucket, String object) throws IOException {
    String body =
        send(
            request(
                "POST",
                bucket,
                object,
                "uploads=",
                Map.of("content-type", OCTET_STREAM),
                BodyPublishers.noBody()));
    Matcher id = UPLOAD_ID.matcher(body);
    if (!id.find()) {
      throw new IOException("No upload id in the answer of the object storage: " + body);
    }
    return unescape(id.group(1));
  }

  /**
   * Sends a part, answering its ETag once sent; {@code content} is read while it is sent, so must
   * not change until then.
   */
  CompletableFuture<String> uploadPart(
      String bucket, String object, String uploadId, int number, byte[] content, int length) {
    HttpRequest request =
        request(
            "PUT",
            bucket,
            object,
            "partNumber=" + number + "&uploadId=" + S3Signer.encode(uploadId, false),
            Map.of(),
            wrapping(content, length));
    return http.sendAsync(request, BodyHandlers.ofString())
        .thenApply(
            response -> {
              check(response);
              return response
                  .headers()
                  .firstValue("ETag")
                  .orElseThrow(() -> new IllegalStateException("No ETag for part " + number));
            });
  }

  /**
   * Makes bytes {@code first} to {@code last} (inclusive) of an object in the same bucket a part,
   * copied by the store itself; answers the part's ETag. The source may be the object being
   * uploaded: it is read when the part is copied, and replaced only on completion.
   */
  String copyPart(
      String bucket,
      String object,
      String uploadId,
      int number,
      String source,
      long first,
      long last)
      throws IOException {
    String body =
        send(
            request(
                "PUT",
                bucket,
                object,
                "partNumber=" + number + "&uploadId=" + S3Signer.encode(uploadId, false),
                Map.of(
                    "x-amz-copy-source",
                    S3Signer.encodePath("/" + bucket + "/" + source),
                    "x-amz-copy-source-range",
                    "bytes=" + first + "-" + last),
                BodyPublishers.noBody()));
    Matcher etag = ETAG.matcher(body);
    if (!etag.find()) {
      throw new IOException("No ETag in the answer of the object storage to a copy: " + body);
    }
    return unescape(etag.group(1));
  }

  /** Assembles the parts, in order. */
  void complete(String bucket, String object, String uploadId, List<String> etags)
      throws IOException {
    StringBuilder xml = new StringBuilder("<CompleteMultipartUpload>");
    for (int i = 0; i < etags.size(); i++) {
      xml.append("<Part><PartNumber>")
          .append(i + 1)
          .append("</PartNumber><ETag>")
          .append(escape(etags.get(i)))
          .append("</ETag></Part>");
    }
    xml.append("</CompleteMultipartUpload>");
    String body =
        send(
            request(
                "POST",
                bucket,
                object,
                "uploadId=" + S3Signer.encode(uploadId, false),
                Map.of("content-type", "application/xml"),
                BodyPublishers.ofString(xml.toString())));
    // A completion can fail after its 200 status was sent: the error is then the body.
    if (body.contains("<Error>")) {
      throw new IOException("The object storage could not complete the upload: " + body);
    }
  }

  void abort(String bucket, String object, String uploadId) throws IOException {
    send(
        request(
            "DELETE",
            bucket,
            object,
            "uploadId=" + S3Signer.encode(uploadId, false),
            Map.of(),
            BodyPublishers.noBody()));
  }

  /**
   * A body read from slices of {@code content} in place: {@code BodyPublishers.ofByteArray} copies
   * it into new 16 KiB buffers, 100 MiB of garbage per 100 MiB upload, which a small heap pays for
   * in full collections.
   */
  static BodyPublisher wrapping(byte[] content, int length) {
    return BodyPublishers.fromPublisher(
        subscriber -> subscriber.onSubscribe(new Slices(subscriber, content, length)), length);
  }

  /** Emits the slices as demanded; re-entered from {@code onNext}, which only adds demand. */
  private static final class Slices implements Flow.Subscription {
    private static final int SLICE = 64 * 1024;
    private final Flow.Subscriber<? super ByteBuffer> subscriber;
    private final byte[] content;
    private final int length;
    private int position;
    private long demand;
    private boolean emitting;
    private boolean finished;

    Slices(Flow.Subscriber<? super ByteBuffer> subscriber, byte[] content, int length) {
      this.subscriber = subscriber;
      this.content = content;
      this.length = length;
    }

    @Override
    public void request(long n) {
      synchronized (this) {
        if (finished) {
          return;
        }
        if (n <= 0) {
          finished = true;
        } else {
          demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
          if (emitting) {
            return;
          }
          emitting = true;
        }
      }
      if (n <= 0) {
        subscriber.onError(new IllegalArgumentException("Non-positive demand " + n));
        return;
      }
      while (true) {
        ByteBuffer next;
        synchronized (this) {
          if (finished) {
            return;
          }
          if (position >= length) {
            finished = true;
            next = null;
          } else if (demand == 0) {
            emitting = false;
            return;
          } else {
            int size = Math.min(SLICE, length - position);
            next = ByteBuffer.wrap(content, position, size).slice();
            position += size;
            demand--;
          }
        }
        if (next == null) {
          subscriber.onComplete();
          return;
        }
        subscriber.onNext(next);
      }
    }

    @Override
    public synchronized void cancel() {
      finished = true;
    }
  }

  private HttpRequest request(
      String method,
      String bucket,
      String object,
      String query,
      Map<String, String> extra,
      BodyPublisher body) {
    String path = S3Signer.encodePath("/" + bucket + "/" + object);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(endpoint + path + (query.isEmpty() ? "" : "?" + query)))
            .method(method, body);
    signedHeaders(method, path, query, extra).forEach(request::header);
    return request.build();
  }

  /** {@code extra} and the headers of an unsigned-payload request, with its Authorization. */
  private Map<String, String> signedHeaders(
      String method, String path, String query, Map<String, String> extra) {
    Map<String, String> headers = new LinkedHashMap<>(extra);
    headers.put("x-amz-content-sha256", S3Signer.UNSIGNED_PAYLOAD);
    headers.put("x-amz-date", S3Signer.timestamp(Instant.now()));
    Map<String, String> signed = new LinkedHashMap<>(headers);
    signed.put("host", host);
    headers.put(
        "Authorization",
        signer.authorization(method, path, query, signed, S3Signer.UNSIGNED_PAYLOAD));
    return headers;
  }

  private String send(HttpRequest request) throws IOException {
    try {
      HttpResponse<String> response = http.send(request, BodyHandlers.ofString());
      check(response);
      return response.body();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("Interrupted while talking to the object storage", e);
    } catch (IllegalStateException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  private static void check(HttpResponse<String> response) {
    if (response.statusCode() / 100 != 2) {
      throw new IllegalStateException(
          "The object storage answered "
              + response.statusCode()
              + " to "
              + response.request().method()
              + " "
              + response.request().uri().getPath()
              + ": "
              + response.body());
    }
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  private static String unescape(String text) {
    return text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&");
  }
}
