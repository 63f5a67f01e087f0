package org.substra.node.api.computeplan;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.substra.node.api.auth.CurrentUser;

/** The metadata keys the channel's plans use, for the UI's column picker (REST spec §4.12). */
@Path("/compute_plan_metadata/")
@Produces(MediaType.APPLICATION_JSON)
public class ComputePlanMetadataResource {

  private final ComputePlanReadModel plans;
  private final CurrentUser current;

  ComputePlanMetadataResource(ComputePlanReadModel plans, CurrentUser current) {
    this.plans = plans;
    this.current = current;
  }

  @GET
  public Uni<List<String>> keys() {
    return plans.metadataKeys(current.channel());
  }
}
