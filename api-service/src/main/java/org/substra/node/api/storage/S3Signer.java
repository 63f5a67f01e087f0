package org.substra.node.api.storage;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * AWS Signature Version 4 of S3 requests, in headers. Ours rather than the minio client's so that
 * part uploads can say {@link #UNSIGNED_PAYLOAD}: the minio client signs a SHA-256 of each payload
 * over plain HTTP, which the store then computes again to check it, two passes over every byte on
 * the upload's critical path (TCP and the data sample's own checksum already guard the content).
 */
final class S3Signer {

  static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";

  private static final String ALGORITHM = "AWS4-HMAC-SHA256";
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final HexFormat HEX = HexFormat.of();

  private final String accessKey;
  private final String secretKey;
  private final String region;
  private final String service;

  S3Signer(String accessKey, String secretKey, String region, String service) {
    this.accessKey = accessKey;
    this.secretKey = secretKey;
    this.region = region;
    this.service = service;
  }

  S3Signer(String accessKey, String secretKey, String region) {
    this(accessKey, secretKey, region, "s3");
  }

  /** The {@code x-amz-date} value of a request signed at {@code time}. */
  static String timestamp(Instant time) {
    return TIMESTAMP.format(time);
  }

  /**
   * The {@code Authorization} header of a request whose {@code headers} (every one signed, {@code
   * host} and {@code x-amz-date} included) are sent as given.
   *
   * @param canonicalUri the path as sent, already URI-encoded ({@link #encodePath})
   * @param canonicalQuery the query as sent: parameters sorted by name, encoded, {@code name=value}
   *     joined with {@code &} (an empty value still has its {@code =})
   * @param payloadHash the hex SHA-256 of the body, or {@link #UNSIGNED_PAYLOAD}
   */
  String authorization(
      String method,
      String canonicalUri,
      String canonicalQuery,
      Map<String, String> headers,
      String payloadHash) {
    SortedMap<String, String> sorted = new TreeMap<>();
    headers.forEach((name, value) -> sorted.put(name.toLowerCase(), value.trim()));
    StringBuilder canonicalHeaders = new StringBuilder();
    sorted.forEach(
        (name, value) -> canonicalHeaders.append(name).append(':').append(value).append('\n'));
    String signedHeaders = String.join(";", sorted.keySet());
    String canonicalRequest =
        method
            + '\n'
            + canonicalUri
            + '\n'
            + canonicalQuery
            + '\n'
            + canonicalHeaders
            + '\n'
            + signedHeaders
            + '\n'
            + payloadHash;
    String timestamp = sorted.get("x-amz-date");
    String date = timestamp.substring(0, 8);
    String scope = date + '/' + region + '/' + service + "/aws4_request";
    String stringToSign =
        ALGORITHM
            + '\n'
            + timestamp
            + '\n'
            + scope
            + '\n'
            + HEX.formatHex(sha256(canonicalRequest));
    byte[] key = hmac(("AWS4" + secretKey).getBytes(StandardCharsets.UTF_8), date);
    key = hmac(key, region);
    key = hmac(key, service);
    key = hmac(key, "aws4_request");
    String signature = HEX.formatHex(hmac(key, stringToSign));
    return ALGORITHM
        + " Credential="
        + accessKey
        + '/'
        + scope
        + ", SignedHeaders="
        + signedHeaders
        + ", Signature="
        + signature;
  }

  /** URI-encodes as SigV4 does: everything but unreserved characters, and {@code /} if a path. */
  static String encode(String value, boolean path) {
    StringBuilder encoded = new StringBuilder();
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'A' && c <= 'Z')
          || (c >= 'a' && c <= 'z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '_'
          || c == '.'
          || c == '~'
          || (path && c == '/')) {
        encoded.append(c);
      } else {
        encoded.append('%').append(HEX.withUpperCase().toHexDigits(b));
      }
    }
    return encoded.toString();
  }

  static String encodePath(String path) {
    return encode(path, true);
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
