package org.substra.node.api.oidc;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.substra.node.api.error.ApiException;

/**
 * An id token from the provider's token endpoint, taken apart and checked with the JDK's own
 * cryptography: the signature (RSA against the provider's keys, or HMAC with the client secret),
 * then the claims OpenID Connect Core §3.1.3.7 requires.
 */
final class IdToken {

  /** Clock skew allowed between this node and the provider. */
  static final long LEEWAY_SECONDS = 60;

  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
  private static final TypeReference<Map<String, Object>> JSON_OBJECT = new TypeReference<>() {};

  private final Map<String, Object> header;
  private final Map<String, Object> claims;
  private final byte[] signed;
  private final byte[] signature;

  private IdToken(
      Map<String, Object> header, Map<String, Object> claims, byte[] signed, byte[] signature) {
    this.header = header;
    this.claims = claims;
    this.signed = signed;
    this.signature = signature;
  }

  static IdToken parse(String token, ObjectMapper json) {
    String[] parts = token == null ? new String[0] : token.split("\\.", -1);
    if (parts.length != 3) {
      throw invalid("it is not a signed JWT");
    }
    try {
      Map<String, Object> header = json.readValue(DECODER.decode(parts[0]), JSON_OBJECT);
      Map<String, Object> claims = json.readValue(DECODER.decode(parts[1]), JSON_OBJECT);
      if (header == null || claims == null) {
        throw invalid("it is not a signed JWT");
      }
      return new IdToken(
          header,
          claims,
          (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII),
          DECODER.decode(parts[2]));
    } catch (IllegalArgumentException | IOException e) {
      throw invalid("it is not a signed JWT");
    }
  }

  String algorithm() {
    return header.get("alg") instanceof String alg ? alg : "";
  }

  /** The key id the provider signed with; null when it names none. */
  String keyId() {
    return header.get("kid") instanceof String kid ? kid : null;
  }

  /** Whether {@code algorithm} (RS256, RS384, RS512) signed it with {@code key}. */
  boolean signedBy(String algorithm, PublicKey key) {
    try {
      Signature verifier = Signature.getInstance(rsa(algorithm));
      verifier.initVerify(key);
      verifier.update(signed);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  /** Whether {@code algorithm} (HS256, HS384, HS512) signed it with {@code secret}. */
  boolean signedWith(String algorithm, String secret) {
    try {
      String name = hmac(algorithm);
      Mac mac = Mac.getInstance(name);
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), name));
      // Constant time: a forged signature learns nothing from how long the check took.
      return MessageDigest.isEqual(signature, mac.doFinal(signed));
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  /**
   * The claims, once the issuer (when known), audience, expiry and nonce are right; {@code sub} is
   * present.
   */
  Map<String, Object> verifiedClaims(String issuer, String clientId, String nonce, Instant now) {
    if (issuer != null && !sameIssuer(issuer, claims.get("iss"))) {
      throw invalid("it comes from another issuer");
    }
    Object audience = claims.get("aud");
    boolean forUs =
        audience instanceof String single
            ? single.equals(clientId)
            : audience instanceof Collection<?> many && many.contains(clientId);
    if (!forUs || (claims.containsKey("azp") && !clientId.equals(claims.get("azp")))) {
      throw invalid("it was issued to another client");
    }
    if (!(claims.get("exp") instanceof Number exp)
        || exp.longValue() + LEEWAY_SECONDS <= now.getEpochSecond()) {
      throw invalid("it has expired");
    }
    if (nonce == null || !nonce.equals(claims.get("nonce"))) {
      throw invalid("its nonce is not this login's");
    }
    if (!(claims.get("sub") instanceof String subject) || subject.isEmpty()) {
      throw invalid("it names no subject");
    }
    return claims;
  }

  static boolean isRsa(String algorithm) {
    return algorithm.startsWith("RS");
  }

  static boolean supported(String algorithm) {
    try {
      if (isRsa(algorithm)) {
        rsa(algorithm);
      } else {
        hmac(algorithm);
      }
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static String rsa(String algorithm) throws GeneralSecurityException {
    return switch (algorithm) {
      case "RS256" -> "SHA256withRSA";
      case "RS384" -> "SHA384withRSA";
      case "RS512" -> "SHA512withRSA";
      default -> throw new GeneralSecurityException("unsupported " + algorithm);
    };
  }

  private static String hmac(String algorithm) throws GeneralSecurityException {
    return switch (algorithm) {
      case "HS256" -> "HmacSHA256";
      case "HS384" -> "HmacSHA384";
      case "HS512" -> "HmacSHA512";
      default -> throw new GeneralSecurityException("unsupported " + algorithm);
    };
  }

  private static boolean sameIssuer(String expected, Object actual) {
    return actual instanceof String issuer && trimSlash(issuer).equals(trimSlash(expected));
  }

  static String trimSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  /** 401: the login cannot be trusted. */
  static ApiException invalid(String why) {
    return ApiException.detail(401, "The OIDC provider's id token is not valid: " + why + ".");
  }
}
