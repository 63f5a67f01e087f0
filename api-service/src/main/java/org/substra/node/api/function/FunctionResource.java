package org.substra.node.api.function;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.util.Map;
import org.substra.node.api.auth.CurrentUser;
import org.substra.node.api.error.ApiException;
import org.substra.node.api.listing.Listing;

/** Functions of the caller's channel, from the read model (REST spec §4.3). */
@Path("/function/")
@Produces(MediaType.APPLICATION_JSON)
public class FunctionResource {

  private final FunctionReadModel functions;
  private final CurrentUser current;

  FunctionResource(FunctionReadModel functions, CurrentUser current) {
    this.functions = functions;
    this.current = current;
  }

  @GET
  public Uni<Map<String, Object>> list(@Context UriInfo uri) {
    return functions.list(current.channel(), new Listing(uri, 100), Listing.base(uri));
  }

  @GET
  @Path("{key}/")
  public Uni<Map<String, Object>> get(@PathParam("key") String key, @Context UriInfo uri) {
    return functions
        .get(current.channel(), key, Listing.base(uri))
        .map(found -> ApiException.found(found, "Function"));
  }
}
