package org.substra.node.api.input;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Refuses, before authentication, a request whose decoded path or query parameters (names or
 * values: {@code match}, filters, {@code ordering}, page numbers...) hold a control character: 400
 * {@code {"detail": "query parameter 'match' must not contain control characters (U+0000)"}}. Every
 * listing and detail route reads its input from there, so none of them can send such a text to
 * PostgreSQL. Bodies are checked where they are read: login names in {@code AuthService},
 * registrations by the orchestrator (its INVALID_ARGUMENT is a 400 here).
 */
public class RequestTextFilter {

  // Before authentication (and non-blocking like it, which Quarkus requires of the first filters).
  @ServerRequestFilter(priority = 100, nonBlocking = true)
  public Response refuseControlCharacters(ContainerRequestContext request) {
    String path = request.getUriInfo().getPath();
    if (ControlCharacters.holds(path)) {
      return badRequest("path " + ControlCharacters.refusal(path));
    }
    for (Map.Entry<String, List<String>> parameter :
        request.getUriInfo().getQueryParameters().entrySet()) {
      String name = parameter.getKey();
      if (ControlCharacters.holds(name)) {
        return badRequest("query parameter name " + ControlCharacters.refusal(name));
      }
      for (String value : parameter.getValue()) {
        if (ControlCharacters.holds(value)) {
          return badRequest("query parameter '" + name + "' " + ControlCharacters.refusal(value));
        }
      }
    }
    return null;
  }

  private static Response badRequest(String detail) {
    return Response.status(400)
        .type(MediaType.APPLICATION_JSON)
        .entity(Map.of("detail", detail))
        .build();
  }
}
