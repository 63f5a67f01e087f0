package org.substra.node.api.computeplan;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;
import org.jboss.resteasy.reactive.RestResponse;
import org.substra.node.api.auth.CurrentUser;

/** Creating, renaming and canceling compute plans (REST spec §4.6). */
@Path("/compute_plan/")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public class ComputePlanRegistrationResource {

  private final ComputePlanRegistration registration;
  private final CurrentUser current;

  ComputePlanRegistrationResource(ComputePlanRegistration registration, CurrentUser current) {
    this.registration = registration;
    this.current = current;
  }

  @POST
  public RestResponse<Map<String, Object>> create(String body) {
    return RestResponse.status(
        RestResponse.Status.CREATED,
        registration.create(current.channel(), current.required().username(), body));
  }

  @PUT
  @Path("{key}/")
  public Map<String, Object> rename(@PathParam("key") String key, String body) {
    registration.rename(current.channel(), key, body);
    return Map.of();
  }

  @POST
  @Path("{key}/cancel/")
  public Map<String, Object> cancel(@PathParam("key") String key) {
    registration.cancel(current.channel(), key);
    return Map.of();
  }
}
