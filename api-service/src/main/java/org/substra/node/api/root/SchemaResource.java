package org.substra.node.api.root;

import io.quarkus.smallrye.openapi.runtime.OpenApiDocumentService;
import io.smallrye.openapi.runtime.io.Format;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.substra.node.api.auth.CurrentUser;
import org.substra.node.api.error.ApiException;

/**
 * {@code GET /schema/}: the OpenAPI 3 document of this API (REST spec §4.14), for authenticated
 * users only like the reference's. The extension's own unauthenticated endpoint is switched off
 * ({@code quarkus.smallrye-openapi.enabled=false}); its document, built at build time, is served
 * from here instead. YAML unless JSON is asked for ({@code ?format=json} or {@code Accept}), like
 * the reference.
 */
@Path("/schema/")
public class SchemaResource {

  private static final String YAML = "application/vnd.oai.openapi";
  private static final String JSON = "application/vnd.oai.openapi+json";

  private final OpenApiDocumentService documents;
  private final CurrentUser current;

  SchemaResource(OpenApiDocumentService documents, CurrentUser current) {
    this.documents = documents;
    this.current = current;
  }

  @GET
  public Response schema(@QueryParam("format") String format, HttpHeaders headers) {
    current.required();
    boolean json;
    if (format != null && !format.isEmpty()) {
      if (!format.equals("json") && !format.equals("yaml")) {
        throw ApiException.detail(400, "Unknown format: use json or yaml.");
      }
      json = format.equals("json");
    } else {
      String accept = headers.getHeaderString(HttpHeaders.ACCEPT);
      json = accept != null && accept.contains("json");
    }
    byte[] document = documents.getDocument("<default>", json ? Format.JSON : Format.YAML);
    return Response.ok(document, json ? JSON : YAML).build();
  }

  /**
   * {@code GET /schema/redoc/}: ReDoc over the document. A static page like the Swagger UI: the
   * document it loads still needs a login (the page sends the web login's JWT).
   */
  @GET
  @Path("redoc/")
  public Response redoc() {
    return Response.ok(REDOC_PAGE, "text/html; charset=utf-8").build();
  }

  private static final byte[] REDOC_PAGE = page("schema/redoc.html");

  private static byte[] page(String resource) {
    try (var in = SchemaResource.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is missing from the application");
      }
      return in.readAllBytes();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
