package org.substra.node.api.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An OpenID provider for the OIDC login tests, on a free port of this machine: discovery, token
 * (authorization code with PKCE, refresh token), JWKS and userinfo endpoints. The authorization
 * step is not interactive: a test reads the login's parameters from the API's redirect and calls
 * {@link #authorize} as the user's consent, which gives the code the browser would bring back. Its
 * id tokens are RS256, signed with a key pair made at start.
 */
public final class OidcProviderStandIn implements AutoCloseable {

  public static final String CLIENT_ID = "substra-node";
  public static final String CLIENT_SECRET = "stand-in-secret";
  private static final String KEY_ID = "stand-in-key";
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final ObjectMapper JSON = new ObjectMapper();

  private static volatile OidcProviderStandIn current;

  /** What the user consented to, for one code or refresh token. */
  private record Grant(
      String subject, String email, String nonce, String challenge, String redirectUri) {}

  private final HttpServer server;
  private final KeyPair key;
  private final KeyPair stranger;
  private final Map<String, Grant> codes = new ConcurrentHashMap<>();
  private final Map<String, Grant> refreshTokens = new ConcurrentHashMap<>();
  private final Map<String, Grant> accessTokens = new ConcurrentHashMap<>();
  private final AtomicInteger refreshes = new AtomicInteger();
  private volatile boolean forgeNextIdToken;
  private volatile boolean refuseRefresh;
  private volatile boolean tokenEndpointDown;

  private OidcProviderStandIn() throws IOException, GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    key = generator.generateKeyPair();
    stranger = generator.generateKeyPair();
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/.well-known/openid-configuration", this::discovery);
    server.createContext("/token", this::token);
    server.createContext("/jwks", this::jwks);
    server.createContext("/userinfo", this::userinfo);
    server.start();
  }

  /** The stand-in of the running application (the one its test resource started). */
  public static OidcProviderStandIn current() {
    return current;
  }

  /** Starts a stand-in and points api-service at it (discovery through its issuer URL). */
  public static class Resource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
      try {
        current = new OidcProviderStandIn();
      } catch (IOException | GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
      return Map.of(
          "api.oidc.enabled",
          "true",
          "api.oidc.provider-url",
          current.issuer(),
          "api.oidc.client-id",
          CLIENT_ID,
          "api.oidc.client-secret",
          CLIENT_SECRET);
    }

    @Override
    public void stop() {
      if (current != null) {
        current.close();
      }
    }
  }

  public String issuer() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /**
   * The user's consent to the login the API redirected to ({@code location}, the authorization
   * endpoint with its query): the code for the callback.
   */
  public String authorize(URI location, String subject, String email) {
    Map<String, String> query = form(location.getRawQuery());
    if (!location.toString().startsWith(issuer() + "/authorize?")
        || !"code".equals(query.get("response_type"))
        || !CLIENT_ID.equals(query.get("client_id"))
        || !"S256".equals(query.get("code_challenge_method"))
        || !query.getOrDefault("scope", "").contains("openid")
        || query.get("state") == null
        || query.get("nonce") == null) {
      throw new AssertionError("not a valid authorization request: " + location);
    }
    String code = UUID.randomUUID().toString();
    codes.put(
        code,
        new Grant(
            subject,
            email,
            query.get("nonce"),
            query.get("code_challenge"),
            query.get("redirect_uri")));
    return code;
  }

  /** The next id token is signed with a key the provider does not publish. */
  public void forgeNextIdToken() {
    forgeNextIdToken = true;
  }

  /** Whether refresh tokens are refused (the user's session at the provider ended). */
  public void refuseRefresh(boolean refuse) {
    refuseRefresh = refuse;
  }

  /** Whether the token endpoint drops its connections without an answer (a provider outage). */
  public void tokenEndpointDown(boolean down) {
    tokenEndpointDown = down;
  }

  /** How many refresh tokens were redeemed. */
  public int refreshes() {
    return refreshes.get();
  }

  private void discovery(HttpExchange exchange) throws IOException {
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("issuer", issuer());
    document.put("authorization_endpoint", issuer() + "/authorize");
    document.put("token_endpoint", issuer() + "/token");
    document.put("userinfo_endpoint", issuer() + "/userinfo");
    document.put("jwks_uri", issuer() + "/jwks");
    document.put("response_types_supported", List.of("code"));
    document.put("id_token_signing_alg_values_supported", List.of("RS256"));
    respond(exchange, 200, document);
  }

  private void jwks(HttpExchange exchange) throws IOException {
    RSAPublicKey publicKey = (RSAPublicKey) key.getPublic();
    Map<String, Object> jwk = new LinkedHashMap<>();
    jwk.put("kty", "RSA");
    jwk.put("use", "sig");
    jwk.put("alg", "RS256");
    jwk.put("kid", KEY_ID);
    jwk.put("n", B64.encodeToString(unsigned(publicKey.getModulus())));
    jwk.put("e", B64.encodeToString(unsigned(publicKey.getPublicExponent())));
    respond(exchange, 200, Map.of("keys", List.of(jwk)));
  }

  private void userinfo(HttpExchange exchange) throws IOException {
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    Grant grant =
        authorization == null || !authorization.startsWith("Bearer ")
            ? null
            : accessTokens.get(authorization.substring(7));
    if (grant == null) {
      respond(exchange, 401, Map.of("error", "invalid_token"));
      return;
    }
    respond(exchange, 200, Map.of("sub", grant.subject(), "email", grant.email()));
  }

  private void token(HttpExchange exchange) throws IOException {
    if (tokenEndpointDown) {
      exchange.close();
      return;
    }
    Map<String, String> form =
        form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
    if (!clientAuthenticated(exchange, form)) {
      respond(exchange, 401, Map.of("error", "invalid_client"));
      return;
    }
    Grant grant;
    if ("authorization_code".equals(form.get("grant_type"))) {
      grant = codes.remove(form.getOrDefault("code", ""));
      if (grant == null
          || !grant.redirectUri().equals(form.get("redirect_uri"))
          || !grant.challenge().equals(challenge(form.getOrDefault("code_verifier", "")))) {
        respond(exchange, 400, Map.of("error", "invalid_grant"));
        return;
      }
    } else if ("refresh_token".equals(form.get("grant_type"))) {
      grant = refreshTokens.remove(form.getOrDefault("refresh_token", ""));
      if (grant == null || refuseRefresh) {
        respond(exchange, 400, Map.of("error", "invalid_grant"));
        return;
      }
      refreshes.incrementAndGet();
    } else {
      respond(exchange, 400, Map.of("error", "unsupported_grant_type"));
      return;
    }
    String accessToken = UUID.randomUUID().toString();
    String refreshToken = UUID.randomUUID().toString();
    accessTokens.put(accessToken, grant);
    refreshTokens.put(refreshToken, grant);
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("access_token", accessToken);
    answer.put("token_type", "Bearer");
    answer.put("expires_in", 300);
    answer.put("refresh_token", refreshToken);
    answer.put("id_token", idToken(grant));
    respond(exchange, 200, answer);
  }

  /** client_secret_basic or client_secret_post, whichever the client chose. */
  private static boolean clientAuthenticated(HttpExchange exchange, Map<String, String> form) {
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    if (authorization != null && authorization.startsWith("Basic ")) {
      String pair =
          new String(
              Base64.getDecoder().decode(authorization.substring(6)), StandardCharsets.UTF_8);
      return (CLIENT_ID + ":" + CLIENT_SECRET).equals(pair);
    }
    return CLIENT_ID.equals(form.get("client_id"))
        && CLIENT_SECRET.equals(form.get("client_secret"));
  }

  private String idToken(Grant grant) {
    Instant now = Instant.now();
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("iss", issuer());
    claims.put("sub", grant.subject());
    claims.put("aud", CLIENT_ID);
    claims.put("iat", now.getEpochSecond());
    claims.put("exp", now.plusSeconds(300).getEpochSecond());
    claims.put("nonce", grant.nonce());
    claims.put("email", grant.email());
    PrivateKey signer = forgeNextIdToken ? stranger.getPrivate() : key.getPrivate();
    forgeNextIdToken = false;
    try {
      String signed =
          B64.encodeToString(
                  JSON.writeValueAsBytes(Map.of("alg", "RS256", "typ", "JWT", "kid", KEY_ID)))
              + "."
              + B64.encodeToString(JSON.writeValueAsBytes(claims));
      Signature signature = Signature.getInstance("SHA256withRSA");
      signature.initSign(signer);
      signature.update(signed.getBytes(StandardCharsets.US_ASCII));
      return signed + "." + B64.encodeToString(signature.sign());
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String challenge(String verifier) {
    try {
      return B64.encodeToString(
          MessageDigest.getInstance("SHA-256")
              .digest(verifier.getBytes(StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] unsigned(BigInteger value) {
    byte[] bytes = value.toByteArray();
    return bytes[0] == 0 ? java.util.Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
  }

  /** The parameters of a query string or form body. */
  public static Map<String, String> form(String encoded) {
    Map<String, String> values = new LinkedHashMap<>();
    if (encoded == null || encoded.isEmpty()) {
      return values;
    }
    for (String pair : encoded.split("&")) {
      int equals = pair.indexOf('=');
      String name = equals < 0 ? pair : pair.substring(0, equals);
      String value = equals < 0 ? "" : pair.substring(equals + 1);
      values.put(
          URLDecoder.decode(name, StandardCharsets.UTF_8),
          URLDecoder.decode(value, StandardCharsets.UTF_8));
    }
    return values;
  }

  private static void respond(HttpExchange exchange, int status, Object body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
