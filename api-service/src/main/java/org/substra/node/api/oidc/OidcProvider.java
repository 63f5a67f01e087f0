package org.substra.node.api.oidc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;
import org.substra.node.api.config.ApiConfig;
import org.substra.node.api.error.ApiException;

/**
 * This node's calls to the OpenID provider: discovery (once, then cached), its signing keys
 * (cached, read again when a token names an unknown key), the token endpoint and userinfo. A
 * provider that cannot be reached is a 502 (504 past {@code api.oidc.provider-timeout}); each
 * answer comes back on the request's Vert.x context, where the database session lives.
 */
@ApplicationScoped
public class OidcProvider {

  /** Where the provider's endpoints are, and the issuer its tokens must name (null: unknown). */
  public record Endpoints(URI authorization, URI token, URI userinfo, URI jwks, String issuer) {}

  /** What the token endpoint answered. */
  public record Tokens(String idToken, String accessToken, String refreshToken) {}

  /** A provider signing key. */
  record SigningKey(String keyId, PublicKey key) {}

  private final ApiConfig.Oidc config;
  private final ObjectMapper json;
  private final HttpClient http;
  private volatile Endpoints endpoints;
  private volatile List<SigningKey> keys;

  OidcProvider(ApiConfig config, ObjectMapper json) {
    this.config = config.oidc();
    this.json = json;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(this.config.providerTimeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /** A node that cannot log anyone in should not start as if it could. */
  void checkSettings(@Observes StartupEvent event) {
    if (!config.enabled()) {
      return;
    }
    List<String> problems = new ArrayList<>();
    if (config.clientId().isEmpty()) {
      problems.add("api.oidc.client-id (OIDC_RP_CLIENT_ID) is required");
    }
    ApiConfig.Oidc.Endpoints explicit = config.endpoints();
    if (config.providerUrl().isEmpty()
        && (explicit.authorization().isEmpty() || explicit.token().isEmpty())) {
      problems.add("api.oidc.provider-url or the authorization and token endpoints are required");
    }
    String algorithm = config.signAlgo();
    if (!IdToken.supported(algorithm)) {
      problems.add("api.oidc.sign-algo must be RS256, RS384, RS512, HS256, HS384 or HS512");
    } else if (IdToken.isRsa(algorithm)
        && config.providerUrl().isEmpty()
        && explicit.jwks().isEmpty()) {
      problems.add(algorithm + " needs api.oidc.provider-url or api.oidc.endpoints.jwks");
    } else if (!IdToken.isRsa(algorithm) && config.clientSecret().isEmpty()) {
      problems.add(algorithm + " needs api.oidc.client-secret");
    }
    if (!List.of("client_secret_post", "client_secret_basic").contains(config.tokenAuthMethod())) {
      problems.add("api.oidc.token-auth-method must be client_secret_post or client_secret_basic");
    }
    if (!problems.isEmpty()) {
      throw new IllegalStateException("OIDC is enabled but " + String.join("; ", problems));
    }
  }

  /** The endpoints: the configured ones, the others discovered at first use. */
  public Uni<Endpoints> endpoints() {
    Endpoints known = endpoints;
    if (known != null) {
      return Uni.createFrom().item(known);
    }
    ApiConfig.Oidc.Endpoints explicit = config.endpoints();
    boolean complete =
        explicit.authorization().isPresent()
            && explicit.token().isPresent()
            && (explicit.jwks().isPresent() || !IdToken.isRsa(config.signAlgo()));
    if (complete || config.providerUrl().isEmpty()) {
      Endpoints configured =
          new Endpoints(
              explicit.authorization().orElse(null),
              explicit.token().orElse(null),
              explicit.userinfo().orElse(null),
              explicit.jwks().orElse(null),
              config.providerUrl().map(URI::toString).orElse(null));
      endpoints = configured;
      return Uni.createFrom().item(configured);
    }
    URI discovery =
        URI.create(
            IdToken.trimSlash(config.providerUrl().get().toString())
                + "/.well-known/openid-configuration");
    return send(HttpRequest.newBuilder(discovery).GET(), "discovery")
        .map(
            response -> {
              JsonNode document = successJson(response, "discovery");
              Endpoints discovered =
                  new Endpoints(
                      explicit
                          .authorization()
                          .orElseGet(() -> uri(document, "authorization_endpoint")),
                      explicit.token().orElseGet(() -> uri(document, "token_endpoint")),
                      explicit.userinfo().orElseGet(() -> uri(document, "userinfo_endpoint")),
                      explicit.jwks().orElseGet(() -> uri(document, "jwks_uri")),
                      document.path("issuer").isTextual()
                          ? document.path("issuer").asText()
                          : config.providerUrl().get().toString());
              endpoints = discovered;
              return discovered;
            });
  }

  /** The authorization code of a login, exchanged for its tokens; 401 when refused. */
  public Uni<Tokens> exchange(Endpoints at, String code, String verifier, String redirectUri) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "authorization_code");
    form.put("code", code);
    form.put("redirect_uri", redirectUri);
    form.put("code_verifier", verifier);
    return tokenRequest(at, form)
        .map(
            response -> {
              if (response.statusCode() >= 400 && response.statusCode() < 500) {
                throw ApiException.detail(
                    401,
                    "The OIDC provider refused the login's authorization code"
                        + providerError(response)
                        + ".");
              }
              JsonNode answer = successJson(response, "token");
              if (!answer.path("id_token").isTextual()) {
                throw ApiException.detail(502, "The OIDC provider's token answer has no id_token.");
              }
              return tokens(answer);
            });
  }

  /** New tokens for a refresh token; null when the provider refuses it (the login is over). */
  public Uni<Tokens> refresh(Endpoints at, String refreshToken) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "refresh_token");
    form.put("refresh_token", refreshToken);
    form.put("scope", config.scopes());
    return tokenRequest(at, form)
        .map(
            response ->
                response.statusCode() >= 400 && response.statusCode() < 500
                    ? null
                    : tokens(successJson(response, "token")));
  }

  /** The userinfo claims for an access token. */
  public Uni<JsonNode> userinfo(Endpoints at, String accessToken) {
    return send(
            HttpRequest.newBuilder(at.userinfo())
                .header("Authorization", "Bearer " + accessToken)
                .header("Accept", "application/json")
                .GET(),
            "userinfo")
        .map(
            response -> {
              if (response.statusCode() == 401 || response.statusCode() == 403) {
                throw ApiException.detail(
                    401, "The OIDC provider refused to tell who logged in (userinfo).");
              }
              return successJson(response, "userinfo");
            });
  }

  /**
   * The provider's keys that may have signed a token naming {@code keyId} (every key when it names
   * none); the keys are read again once when none matches, as the provider may have rotated them.
   */
  public Uni<List<PublicKey>> signingKeys(Endpoints at, String keyId) {
    List<SigningKey> cached = keys;
    if (cached != null && !matching(cached, keyId).isEmpty()) {
      return Uni.createFrom().item(matching(cached, keyId));
    }
    if (at.jwks() == null) {
      throw ApiException.detail(502, "The OIDC provider publishes no signing keys (jwks_uri).");
    }
    return send(HttpRequest.newBuilder(at.jwks()).GET(), "jwks")
        .map(
            response -> {
              List<SigningKey> read = parseKeys(successJson(response, "jwks"));
              keys = read;
              return matching(read, keyId);
            });
  }

  private static List<PublicKey> matching(List<SigningKey> keys, String keyId) {
    return keys.stream()
        .filter(key -> keyId == null || keyId.equals(key.keyId()))
        .map(SigningKey::key)
        .toList();
  }

  /** The RSA signature keys of a JWK set; others (encryption, EC) are not for id tokens here. */
  static List<SigningKey> parseKeys(JsonNode jwks) {
    List<SigningKey> parsed = new ArrayList<>();
    Base64.Decoder decoder = Base64.getUrlDecoder();
    for (JsonNode jwk : jwks.path("keys")) {
      if (!"RSA".equals(jwk.path("kty").asText()) || "enc".equals(jwk.path("use").asText())) {
        continue;
      }
      try {
        BigInteger modulus = new BigInteger(1, decoder.decode(jwk.path("n").asText()));
        BigInteger exponent = new BigInteger(1, decoder.decode(jwk.path("e").asText()));
        PublicKey key =
            KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(modulus, exponent));
        parsed.add(
            new SigningKey(jwk.path("kid").isTextual() ? jwk.path("kid").asText() : null, key));
      } catch (IllegalArgumentException | GeneralSecurityException e) {
        // A malformed key signs nothing we accept; the others still count.
      }
    }
    return parsed;
  }

  private Uni<HttpResponse<String>> tokenRequest(Endpoints at, Map<String, String> form) {
    if (at.token() == null) {
      throw ApiException.detail(502, "The OIDC provider publishes no token endpoint.");
    }
    HttpRequest.Builder request =
        HttpRequest.newBuilder(at.token())
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Accept", "application/json");
    String clientId = config.clientId().orElse("");
    Optional<String> secret = config.clientSecret();
    Map<String, String> body = new LinkedHashMap<>(form);
    if ("client_secret_basic".equals(config.tokenAuthMethod()) && secret.isPresent()) {
      // RFC 6749 §2.3.1: both parts form-encoded before the Basic encoding.
      String pair = encode(clientId) + ":" + encode(secret.get());
      request.header(
          "Authorization",
          "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
    } else {
      body.put("client_id", clientId);
      secret.ifPresent(value -> body.put("client_secret", value));
    }
    String encoded =
        body.entrySet().stream()
            .map(entry -> encode(entry.getKey()) + "=" + encode(entry.getValue()))
            .collect(Collectors.joining("&"));
    return send(request.POST(HttpRequest.BodyPublishers.ofString(encoded)), "token");
  }

  private Uni<HttpResponse<String>> send(HttpRequest.Builder request, String what) {
    Context context = Vertx.currentContext();
    Uni<HttpResponse<String>> response =
        Uni.createFrom()
            .completionStage(
                () ->
                    http.sendAsync(
                        request.timeout(config.providerTimeout()).build(),
                        HttpResponse.BodyHandlers.ofString()))
            .onFailure()
            .transform(failure -> unreachable(failure, what));
    if (context != null) {
      response = response.emitOn(command -> context.runOnContext(ignored -> command.run()));
    }
    return response;
  }

  private static ApiException unreachable(Throwable failure, String what) {
    Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
    if (cause instanceof ApiException refusal) {
      return refusal;
    }
    if (cause instanceof HttpTimeoutException) {
      return ApiException.detail(
          504, "The OIDC provider did not answer in time (" + what + " endpoint).");
    }
    String reason = cause instanceof IOException ? "" : ": " + cause.getClass().getSimpleName();
    return ApiException.detail(
        502, "The OIDC provider could not be reached (" + what + " endpoint)" + reason + ".");
  }

  private JsonNode successJson(HttpResponse<String> response, String what) {
    if (response.statusCode() / 100 != 2) {
      throw ApiException.detail(
          502,
          "The OIDC provider answered "
              + response.statusCode()
              + " at its "
              + what
              + " endpoint"
              + providerError(response)
              + ".");
    }
    try {
      JsonNode answer = json.readTree(response.body());
      if (answer == null || !answer.isObject()) {
        throw new IOException("not a JSON object");
      }
      return answer;
    } catch (IOException e) {
      throw ApiException.detail(
          502, "The OIDC provider's " + what + " answer is not a JSON object.");
    }
  }

  /**
   * The OAuth error code of a refusal, for the message (never the description: it is free text).
   */
  private String providerError(HttpResponse<String> response) {
    try {
      JsonNode error = json.readTree(response.body()).path("error");
      return error.isTextual() && error.asText().matches("[a-z_]{1,64}")
          ? " (" + error.asText() + ")"
          : "";
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  private static Tokens tokens(JsonNode answer) {
    return new Tokens(
        text(answer, "id_token"), text(answer, "access_token"), text(answer, "refresh_token"));
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return value.isTextual() && !value.asText().isEmpty() ? value.asText() : null;
  }

  private static URI uri(JsonNode document, String field) {
    String value = text(document, field);
    if (value == null) {
      return null;
    }
    try {
      return URI.create(value);
    } catch (IllegalArgumentException e) {
      throw ApiException.detail(502, "The OIDC provider's " + field + " is not a URL.");
    }
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
