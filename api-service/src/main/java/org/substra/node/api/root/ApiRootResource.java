package org.substra.node.api.root;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.substra.node.api.auth.CurrentUser;
import org.substra.node.api.listing.Listing;

/** {@code GET /}: the API's collections by name, as absolute URLs (REST spec §4.14). */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public class ApiRootResource {

  /** The collections of the reference's router that this node serves, and the documents beside. */
  static final List<String> COLLECTIONS =
      List.of(
          "compute_plan",
          "compute_plan_metadata",
          "data_manager",
          "data_sample",
          "function",
          "model",
          "news_feed",
          "organization",
          "performance",
          "task",
          "task_profiling",
          "users",
          "users-awaiting-approval",
          "active-api-tokens",
          "info",
          "schema");

  private final CurrentUser current;

  ApiRootResource(CurrentUser current) {
    this.current = current;
  }

  @GET
  public Map<String, String> root(@Context UriInfo uri) {
    current.required();
    String base = Listing.base(uri);
    Map<String, String> routes = new LinkedHashMap<>();
    COLLECTIONS.forEach(name -> routes.put(name, base + "/" + name + "/"));
    return routes;
  }
}
