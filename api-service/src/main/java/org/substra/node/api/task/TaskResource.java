package org.substra.node.api.task;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
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
import org.substra.node.api.logs.FailureLogs;

/** Compute tasks of the caller's channel and their assets, from the read model (spec §4.7). */
@Path("/task/")
@Produces(MediaType.APPLICATION_JSON)
public class TaskResource {

  private final TaskReadModel tasks;
  private final TaskAssetReadModel assets;
  private final FailureLogs logs;
  private final CurrentUser current;

  TaskResource(
      TaskReadModel tasks, TaskAssetReadModel assets, FailureLogs logs, CurrentUser current) {
    this.tasks = tasks;
    this.assets = assets;
    this.logs = logs;
    this.current = current;
  }

  @GET
  public Uni<Map<String, Object>> list(@Context UriInfo uri) {
    return tasks.list(current.channel(), null, new Listing(uri, 100), Listing.base(uri));
  }

  @GET
  @Path("{key}/")
  public Uni<Map<String, Object>> get(@PathParam("key") String key, @Context UriInfo uri) {
    return tasks
        .get(current.channel(), key, Listing.base(uri))
        .map(found -> ApiException.found(found, "ComputeTask"));
  }

  @GET
  @Path("{key}/input_assets/")
  public Uni<Map<String, Object>> inputs(@PathParam("key") String key, @Context UriInfo uri) {
    return assets.inputs(current.channel(), key, new Listing(uri, 100), Listing.base(uri));
  }

  @GET
  @Path("{key}/output_assets/")
  public Uni<Map<String, Object>> outputs(@PathParam("key") String key, @Context UriInfo uri) {
    return assets.outputs(current.channel(), key, new Listing(uri, 100), Listing.base(uri));
  }

  @GET
  @Path("{key}/logs/")
  public Response logs(@PathParam("key") String key) {
    return logs.ofTask(current.channel(), key);
  }
}
