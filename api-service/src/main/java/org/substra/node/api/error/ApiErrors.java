package org.substra.node.api.error;

import com.fasterxml.jackson.core.JsonProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Every error leaves as JSON the SDK can read (REST spec §1.6): never a stack trace, never an HTML
 * page.
 */
public class ApiErrors {

  private static final Logger LOG = Logger.getLogger(ApiErrors.class);

  @ServerExceptionMapper
  public Response refused(ApiException refusal) {
    Response.ResponseBuilder response =
        Response.status(refusal.status()).type(MediaType.APPLICATION_JSON).entity(refusal.body());
    refusal.headers().forEach(response::header);
    return response.build();
  }

  @ServerExceptionMapper
  public Response malformedJson(JsonProcessingException failure) {
    return json(400, "JSON parse error - " + failure.getOriginalMessage());
  }

  @ServerExceptionMapper
  public Response http(WebApplicationException failure) {
    int status = failure.getResponse().getStatus();
    if (failure.getCause() instanceof JsonProcessingException json) {
      return malformedJson(json);
    }
    String detail =
        switch (status) {
          case 404 -> "Not found.";
          case 405 -> "Method not allowed.";
          case 406 -> "Could not satisfy the request Accept header.";
          case 413 -> "Request body too large.";
          case 415 -> "Unsupported media type in request.";
          default -> failure.getMessage();
        };
    return json(status, detail);
  }

  @ServerExceptionMapper
  public Response unexpected(Throwable failure) {
    LOG.error("request failed unexpectedly", failure);
    return json(500, "Internal server error.");
  }

  private static Response json(int status, String detail) {
    return Response.status(status)
        .type(MediaType.APPLICATION_JSON)
        .entity(Map.of("detail", detail))
        .build();
  }
}
