package org.substra.node.api.organization;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import org.substra.node.api.auth.CurrentUser;

/** {@code GET /organization/}: the organizations of the caller's channel, a bare array (§4.2). */
@Path("/organization/")
@Produces(MediaType.APPLICATION_JSON)
public class OrganizationResource {

  private final OrganizationReadModel organizations;
  private final CurrentUser current;

  OrganizationResource(OrganizationReadModel organizations, CurrentUser current) {
    this.organizations = organizations;
    this.current = current;
  }

  @GET
  public Uni<List<Map<String, Object>>> list() {
    return organizations.ofChannel(current.channel());
  }
}
