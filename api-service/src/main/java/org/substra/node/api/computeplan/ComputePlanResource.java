package org.substra.node.api.computeplan;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.util.Map;
import java.util.UUID;
import org.substra.node.api.auth.CurrentUser;
import org.substra.node.api.error.ApiException;
import org.substra.node.api.function.FunctionReadModel;
import org.substra.node.api.listing.Listing;
import org.substra.node.api.listing.ReadModelTable;
import org.substra.node.api.task.TaskReadModel;

/** Compute plans of the caller's channel, their tasks and performances (REST spec §4.6). */
@Path("/compute_plan/")
@Produces(MediaType.APPLICATION_JSON)
public class ComputePlanResource {

  private final ComputePlanReadModel plans;
  private final TaskReadModel tasks;
  private final FunctionReadModel functions;
  private final WorkflowGraph graph;
  private final CurrentUser current;

  ComputePlanResource(
      ComputePlanReadModel plans,
      TaskReadModel tasks,
      FunctionReadModel functions,
      WorkflowGraph graph,
      CurrentUser current) {
    this.plans = plans;
    this.tasks = tasks;
    this.functions = functions;
    this.graph = graph;
    this.current = current;
  }

  @GET
  public Uni<Map<String, Object>> list(@Context UriInfo uri) {
    return plans.list(current.channel(), new Listing(uri, 10));
  }

  @GET
  @Path("{key}/")
  public Uni<Map<String, Object>> get(@PathParam("key") String key) {
    return plans.get(current.channel(), key).map(found -> ApiException.found(found, "ComputePlan"));
  }

  @GET
  @Path("{key}/perf/")
  public Uni<Map<String, Object>> performances(@PathParam("key") String key, @Context UriInfo uri) {
    return plans.performances(current.channel(), planKey(key), new Listing(uri, 100));
  }

  @GET
  @Path("{key}/task/")
  public Uni<Map<String, Object>> tasks(@PathParam("key") String key, @Context UriInfo uri) {
    return tasks.list(current.channel(), planKey(key), new Listing(uri, 100), Listing.base(uri));
  }

  @GET
  @Path("{key}/functions/")
  public Uni<Map<String, Object>> functions(@PathParam("key") String key, @Context UriInfo uri) {
    return functions.list(
        current.channel(), new Listing(uri, 100), Listing.base(uri), new UUID[] {planKey(key)});
  }

  @GET
  @Path("{key}/workflow_graph/")
  public Uni<Map<String, Object>> workflowGraph(@PathParam("key") String key) {
    return graph.of(current.channel(), planKey(key));
  }

  /** The plan routes below a plan answer a malformed key with 400, not 404 (§4.6). */
  private static UUID planKey(String key) {
    UUID uuid = ReadModelTable.uuid(key);
    if (uuid == null) {
      throw ApiException.detail(400, "key is not a valid UUID: \"" + key + "\"");
    }
    return uuid;
  }
}
