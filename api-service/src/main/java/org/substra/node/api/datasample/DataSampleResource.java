package org.substra.node.api.datasample;

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

/** Data samples of the caller's channel, from the read model (REST spec §4.5). */
@Path("/data_sample/")
@Produces(MediaType.APPLICATION_JSON)
public class DataSampleResource {

  private final DataSampleReadModel samples;
  private final CurrentUser current;

  DataSampleResource(DataSampleReadModel samples, CurrentUser current) {
    this.samples = samples;
    this.current = current;
  }

  @GET
  public Uni<Map<String, Object>> list(@Context UriInfo uri) {
    return samples.list(current.channel(), new Listing(uri, 100));
  }

  @GET
  @Path("{key}/")
  public Uni<Map<String, Object>> get(@PathParam("key") String key) {
    return samples
        .get(current.channel(), key)
        .map(found -> ApiException.found(found, "DataSample"));
  }
}
