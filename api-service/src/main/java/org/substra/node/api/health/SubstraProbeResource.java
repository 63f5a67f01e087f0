package org.substra.node.api.health;

import io.smallrye.health.SmallRyeHealth;
import io.smallrye.health.SmallRyeHealthReporter;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;

/**
 * The probe paths of the Substra backend (REST spec §8): {@code OK} when every readiness check
 * passes. Both answer the same, as in the reference; a failed dependency gives 503 with its name
 * rather than the reference's 500, so a probe log says what is wrong.
 */
@Path("/")
public class SubstraProbeResource {

  private final SmallRyeHealthReporter reporter;

  SubstraProbeResource(SmallRyeHealthReporter reporter) {
    this.reporter = reporter;
  }

  @GET
  @Path("liveness")
  @Produces("text/html; charset=utf-8")
  public Uni<Response> liveness() {
    return probe();
  }

  @GET
  @Path("readiness")
  @Produces("text/html; charset=utf-8")
  public Uni<Response> readiness() {
    return probe();
  }

  private Uni<Response> probe() {
    return reporter.getReadinessAsync().map(SubstraProbeResource::toResponse);
  }

  private static Response toResponse(SmallRyeHealth health) {
    if (health.isDown()) {
      return Response.status(Response.Status.SERVICE_UNAVAILABLE)
          .entity("DOWN: " + health.getPayload().getJsonArray("checks"))
          .build();
    }
    return Response.ok("OK").build();
  }
}
