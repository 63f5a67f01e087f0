package org.substra.node.api.model;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Map;
import org.substra.node.api.auth.CurrentUser;
import org.substra.node.api.error.ApiException;
import org.substra.node.api.listing.Listing;

/** Models of the caller's channel, from the read model (REST spec §4.8). */
@Path("/model/")
@Produces(MediaType.APPLICATION_JSON)
public class ModelResource {

  private final ModelReadModel models;
  private final ModelFiles files;
  private final CurrentUser current;

  ModelResource(ModelReadModel models, ModelFiles files, CurrentUser current) {
    this.models = models;
    this.files = files;
    this.current = current;
  }

  @GET
  public Uni<Map<String, Object>> list(@Context UriInfo uri) {
    return models.list(current.channel(), new Listing(uri, 100), Listing.base(uri));
  }

  @GET
  @Path("{key}/")
  public Uni<Map<String, Object>> get(@PathParam("key") String key, @Context UriInfo uri) {
    return models
        .get(current.channel(), key, Listing.base(uri))
        .map(found -> ApiException.found(found, "Model"));
  }

  @GET
  @Path("{key}/file/")
  public Response file(
      @PathParam("key") String key, @HeaderParam(ModelFiles.PROXY_HEADER) String proxied) {
    return files.file(current.channel(), key, proxied != null);
  }
}
