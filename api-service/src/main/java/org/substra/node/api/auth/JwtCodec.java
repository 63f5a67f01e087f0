package org.substra.node.api.auth;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.substra.node.api.config.ApiConfig;

/**
 * Signs and checks HS256 JSON Web Tokens with {@code api.jwt.secret}. Only HS256 is accepted:
 * whatever algorithm a token's header claims, its signature must be our HMAC, so neither {@code
 * none} nor a public-key algorithm can be smuggled in. Every token carries this node as {@code iss}
 * ({@code api.jwt.issuer}) and {@code aud} ({@code api.jwt.audience}), and a token naming another
 * node is refused even when its signature is good (two nodes sharing a key). Created at start-up,
 * so that a node without a usable key does not start (see {@link JwtSecret}).
 */
@Startup
@ApplicationScoped
public class JwtCodec {

  /** A token that is malformed, badly signed or expired. */
  public static class InvalidJwtException extends Exception {
    InvalidJwtException(String message) {
      super(message, null, false, false);
    }
  }

  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
  private static final String HEADER =
      ENCODER.encodeToString(
          "{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
  private static final TypeReference<Map<String, Object>> CLAIMS = new TypeReference<>() {};

  private final SecretKeySpec key;
  private final ObjectMapper json;
  private final String issuer;
  private final String audience;

  JwtCodec(ApiConfig config, ObjectMapper json) {
    this.key = JwtSecret.require(config.jwt().secret());
    this.json = json;
    this.issuer = config.jwt().issuer();
    this.audience = config.jwt().audience();
  }

  /** This node as issuer and audience, the claims {@link #sign} adds to every token. */
  public Map<String, Object> node() {
    Map<String, Object> node = new LinkedHashMap<>();
    node.put("iss", issuer);
    node.put("aud", audience);
    return node;
  }

  /** {@code header.payload.signature} of these claims, issued by and for this node. */
  public String sign(Map<String, Object> claims) {
    Map<String, Object> bound = new LinkedHashMap<>(claims);
    bound.putAll(node());
    try {
      String signed = HEADER + "." + ENCODER.encodeToString(json.writeValueAsBytes(bound));
      return signed + "." + ENCODER.encodeToString(mac(signed));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("claims not serializable", e);
    }
  }

  /**
   * The claims of a token this node signed for itself and that has not expired ({@code exp},
   * seconds).
   */
  public Map<String, Object> verify(String token, long nowSeconds) throws InvalidJwtException {
    String[] parts = token == null ? new String[0] : token.split("\\.", -1);
    if (parts.length != 3) {
      throw new InvalidJwtException("Token is invalid");
    }
    Map<String, Object> header = decode(parts[0]);
    if (!"HS256".equals(header.get("alg"))) {
      throw new InvalidJwtException("Token is invalid");
    }
    byte[] signature;
    try {
      signature = DECODER.decode(parts[2]);
    } catch (IllegalArgumentException e) {
      throw new InvalidJwtException("Token is invalid");
    }
    // Constant time: the comparison must not tell how much of a forged signature was right.
    if (!MessageDigest.isEqual(signature, mac(parts[0] + "." + parts[1]))) {
      throw new InvalidJwtException("Token is invalid");
    }
    Map<String, Object> claims = decode(parts[1]);
    if (!issuer.equals(claims.get("iss")) || !forThisNode(claims.get("aud"))) {
      throw new InvalidJwtException("Token is invalid");
    }
    if (!(claims.get("exp") instanceof Number exp) || exp.longValue() <= nowSeconds) {
      throw new InvalidJwtException("Token is expired");
    }
    return claims;
  }

  /** {@code aud} is one audience or a list of them (RFC 7519 §4.1.3). */
  private boolean forThisNode(Object aud) {
    return aud instanceof Collection<?> audiences
        ? audiences.contains(audience)
        : audience.equals(aud);
  }

  private Map<String, Object> decode(String part) throws InvalidJwtException {
    try {
      Map<String, Object> decoded = json.readValue(DECODER.decode(part), CLAIMS);
      if (decoded == null) {
        throw new InvalidJwtException("Token is invalid");
      }
      return decoded;
    } catch (IllegalArgumentException | java.io.IOException e) {
      throw new InvalidJwtException("Token is invalid");
    }
  }

  private byte[] mac(String signed) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac.doFinal(signed.getBytes(StandardCharsets.US_ASCII));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }
}
