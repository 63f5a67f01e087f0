package org.substra.node.api.profiling;

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
import jakarta.ws.rs.core.UriInfo;
import java.util.Map;
import org.jboss.resteasy.reactive.RestResponse;
import org.substra.node.api.listing.Listing;

/** How long the steps of tasks took (REST spec §4.13). */
@Path("/task_profiling/")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public class TaskProfilingResource {

  private final TaskProfiling profiling;

  TaskProfilingResource(TaskProfiling profiling) {
    this.profiling = profiling;
  }

  @GET
  public Uni<Map<String, Object>> list(@Context UriInfo uri) {
    return profiling.list(new Listing(uri, 1000));
  }

  @POST
  public Uni<RestResponse<Map<String, Object>>> create(String body) {
    return profiling
        .create(body)
        .map(created -> RestResponse.status(RestResponse.Status.CREATED, created));
  }

  @GET
  @Path("{key}/")
  public Uni<Map<String, Object>> get(@PathParam("key") String key) {
    return profiling.get(key);
  }

  @PUT
  @Path("{key}/")
  public Uni<Map<String, Object>> restart(@PathParam("key") String key) {
    return profiling.restart(key);
  }

  @POST
  @Path("{key}/step/")
  public Uni<RestResponse<Map<String, Object>>> addStep(@PathParam("key") String key, String body) {
    return profiling
        .step(key, null, body, false)
        .map(step -> RestResponse.status(RestResponse.Status.CREATED, step));
  }

  @PUT
  @Path("{key}/step/{step}/")
  public Uni<Map<String, Object>> putStep(
      @PathParam("key") String key, @PathParam("step") String step, String body) {
    return profiling.step(key, step, body, true);
  }
}
