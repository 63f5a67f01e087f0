package org.substra.node.api.performance;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Map;
import org.substra.node.api.auth.CurrentUser;
import org.substra.node.api.listing.Listing;

/** Performances of the channel's plans, as a page or a CSV file (REST spec §4.10). */
@Path("/performance/")
public class PerformanceResource {

  private final PerformanceExport export;
  private final CurrentUser current;

  PerformanceResource(PerformanceExport export, CurrentUser current) {
    this.export = export;
    this.current = current;
  }

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  public Uni<Map<String, Object>> list(@Context UriInfo uri) {
    return export.page(current.channel(), new Listing(uri, 1000));
  }

  @GET
  @Path("export/")
  public Uni<Response> csv(@Context UriInfo uri) {
    return export
        .csv(current.channel(), new Listing(uri, 1000))
        .map(
            csv ->
                Response.ok(csv, "text/csv; charset=utf-8")
                    .header("Content-Disposition", "attachment; filename=\"compute_plans.csv\"")
                    .build());
  }
}
