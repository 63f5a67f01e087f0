package org.substra.node.api.task;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.Map;
import org.substra.node.api.auth.CurrentUser;
import org.substra.node.api.listing.Listing;

/** Task registration (REST spec §4.7): 200, not 201, with the created tasks. */
@Path("/task/")
@Produces(MediaType.APPLICATION_JSON)
public class TaskRegistrationResource {

  private final TaskRegistration registration;
  private final CurrentUser current;

  TaskRegistrationResource(TaskRegistration registration, CurrentUser current) {
    this.registration = registration;
    this.current = current;
  }

  @POST
  @Path("bulk_create/")
  @Consumes(MediaType.WILDCARD)
  public List<Map<String, Object>> register(String body, @Context UriInfo uri) {
    return registration.register(current.channel(), Listing.base(uri), body);
  }
}
