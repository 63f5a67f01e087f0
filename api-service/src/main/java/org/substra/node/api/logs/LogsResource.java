package org.substra.node.api.logs;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import org.substra.node.api.auth.CurrentUser;

/** Failure logs by the failed asset's key: the address recorded in failure reports (§4.9). */
@Path("/logs/")
public class LogsResource {

  private final FailureLogs logs;
  private final CurrentUser current;

  LogsResource(FailureLogs logs, CurrentUser current) {
    this.logs = logs;
    this.current = current;
  }

  @GET
  @Path("{key}/file/")
  public Response file(@PathParam("key") String key) {
    return logs.ofAsset(current.channel(), key);
  }
}
