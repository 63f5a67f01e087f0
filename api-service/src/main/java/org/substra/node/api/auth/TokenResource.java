package org.substra.node.api.auth;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.substra.node.api.error.ApiException;

/** The caller's tokens: list, revoke (the SDK's logout), create API tokens (REST spec §2.3–2.5). */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public class TokenResource {

  private final AuthService auth;
  private final CurrentUser current;

  TokenResource(AuthService auth, CurrentUser current) {
    this.auth = auth;
    this.current = current;
  }

  @DELETE
  @Path("active-api-tokens/")
  public Uni<Map<String, String>> revoke(@QueryParam("id") String id) {
    return auth.revoke(current.required(), id)
        .map(
            removed -> {
              if (!removed) {
                throw ApiException.detail(404, "Token not found");
              }
              return Map.of("detail", "Token removed");
            });
  }

  @GET
  @Path("active-api-tokens/")
  public Uni<Map<String, Object>> list() {
    AuthenticatedUser caller = current.required();
    return auth.tokensOf(caller, Token.Kind.API)
        .flatMap(
            api ->
                auth.tokensOf(caller, Token.Kind.IMPLICIT)
                    .map(
                        implicit -> {
                          Map<String, Object> body = new LinkedHashMap<>();
                          body.put("tokens", api.stream().map(TokenViews::listed).toList());
                          body.put(
                              "implicit_tokens",
                              implicit.stream().map(TokenViews::listed).toList());
                          return body;
                        }));
  }

  public record NewToken(String note, String expires_at) {}

  @POST
  @Path("api-token/")
  @Consumes(MediaType.APPLICATION_JSON)
  public Uni<Map<String, Object>> create(NewToken request) {
    AuthenticatedUser caller = current.required();
    String note = request == null ? null : request.note();
    if (note != null && note.length() > 100) {
      throw ApiException.field(400, "note", "Ensure this field has no more than 100 characters.");
    }
    OffsetDateTime expires = null;
    if (request != null && request.expires_at() != null && !request.expires_at().isBlank()) {
      try {
        expires = OffsetDateTime.parse(request.expires_at());
      } catch (DateTimeParseException e) {
        throw ApiException.field(
            400, "expires_at", "Datetime has wrong format: use ISO 8601 with an offset.");
      }
    }
    return auth.createApiToken(caller, note, expires).map(TokenViews::created);
  }
}
