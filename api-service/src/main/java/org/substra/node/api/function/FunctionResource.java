package org.substra.node.api.function;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Map;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.multipart.FileUpload;
import org.substra.node.api.auth.CurrentUser;
import org.substra.node.api.error.ApiException;
import org.substra.node.api.listing.Listing;

/** Functions of the caller's channel (REST spec §4.3, §5.2). */
@Path("/function/")
@Produces(MediaType.APPLICATION_JSON)
public class FunctionResource {

  private final FunctionReadModel functions;
  private final FunctionRegistration registration;
  private final FunctionFiles files;
  private final CurrentUser current;

  FunctionResource(
      FunctionReadModel functions,
      FunctionRegistration registration,
      FunctionFiles files,
      CurrentUser current) {
    this.functions = functions;
    this.registration = registration;
    this.files = files;
    this.current = current;
  }

  @GET
  public Uni<Map<String, Object>> list(@Context UriInfo uri) {
    return functions.list(current.channel(), new Listing(uri, 100), Listing.base(uri));
  }

  @POST
  @Consumes(MediaType.MULTIPART_FORM_DATA)
  public RestResponse<Map<String, Object>> register(
      @RestForm("json") String json,
      @RestForm("file") FileUpload file,
      @RestForm("description") FileUpload description,
      @Context UriInfo uri) {
    return RestResponse.status(
        RestResponse.Status.CREATED,
        registration.register(current.channel(), Listing.base(uri), json, file, description));
  }

  @GET
  @Path("{key}/")
  public Uni<Map<String, Object>> get(@PathParam("key") String key, @Context UriInfo uri) {
    return functions
        .get(current.channel(), key, Listing.base(uri))
        .map(found -> ApiException.found(found, "Function"));
  }

  @GET
  @Path("{key}/profiling/")
  public Uni<Map<String, Object>> profiling(@PathParam("key") String key) {
    return functions
        .profiling(current.channel(), key)
        .map(found -> ApiException.found(found, "Function"));
  }

  @PUT
  @Path("{key}/")
  @Consumes(MediaType.WILDCARD)
  public Map<String, Object> rename(@PathParam("key") String key, String body) {
    registration.rename(current.channel(), key, body);
    return Map.of();
  }

  @GET
  @Path("{key}/file/")
  public Response archive(@PathParam("key") String key) {
    return files.archive(current.channel(), key);
  }

  @GET
  @Path("{key}/description/")
  public Response description(@PathParam("key") String key) {
    return files.description(current.channel(), key);
  }
}
