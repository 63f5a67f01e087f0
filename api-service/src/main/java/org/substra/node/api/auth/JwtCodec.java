package org.substra.node.api.auth;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jboss.logging.Logger;
import org.substra.node.api.config.ApiConfig;

/**
 * Signs and checks HS256 JSON Web Tokens with {@code api.jwt.secret}. Only HS256 is accepted:
 * whatever algorithm a token's header claims, its signature must be our HMAC, so neither {@code
 * none} nor a public-key algorithm can be smuggled in.
 */
@ApplicationScoped
public class JwtCodec {

  /** A token that is malformed, badly signed or expired. */
  public static class InvalidJwtException extends Exception {
    InvalidJwtException(String message) {
      super(message, null, false, false);
    }
  }

  private static final Logger LOG = Logger.getLogger(JwtCodec.class);
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
  private static final String HEADER =
      ENCODER.encodeToString(
          "{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
  private static final TypeReference<Map<String, Object>> CLAIMS = new TypeReference<>() {};

  private final SecretKeySpec key;
  private final ObjectMapper json;
  private final boolean localSecret;

  JwtCodec(ApiConfig config, ObjectMapper json) {
    this.key =
        new SecretKeySpec(config.jwt().secret().getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    this.json = json;
    this.localSecret = ApiConfig.Jwt.LOCAL_SECRET.equals(config.jwt().secret());
  }

  void warnOnLocalSecret(@Observes StartupEvent event) {
    if (localSecret) {
      LOG.warn(
          "api.jwt.secret is the documented local default: anyone can forge web logins to this"
              + " node; set API_JWT_SECRET outside local runs");
    }
  }

  /** {@code header.payload.signature} of these claims. */
  public String sign(Map<String, Object> claims) {
    try {
      String signed = HEADER + "." + ENCODER.encodeToString(json.writeValueAsBytes(claims));
      return signed + "." + ENCODER.encodeToString(mac(signed));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("claims not serializable", e);
    }
  }

  /** The claims of a token we signed and that has not expired ({@code exp}, seconds). */
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
    if (!(claims.get("exp") instanceof Number exp) || exp.longValue() <= nowSeconds) {
      throw new InvalidJwtException("Token is expired");
    }
    return claims;
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
