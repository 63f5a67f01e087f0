package org.substra.node.event.repair;

import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

/**
 * Internal entry point of read-model reconciliation (scheduler-service): the node's own services
 * call it inside the cluster; it is not part of the REST API and api-service does not expose it.
 */
@Path("/internal/repairs/tasks")
public class TaskRepairResource {

  /** The tasks to re-project from the orchestrator. */
  public record Request(List<String> keys) {}

  private final TaskRepair repair;

  TaskRepairResource(TaskRepair repair) {
    this.repair = repair;
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  public TaskRepair.Result repair(Request request) throws SQLException {
    if (request == null || request.keys() == null) {
      throw new BadRequestException("expected {\"keys\": [...]}");
    }
    for (String key : request.keys()) {
      try {
        UUID.fromString(key);
      } catch (IllegalArgumentException e) {
        throw new BadRequestException("not a task key: " + key);
      }
    }
    return repair.repair(request.keys());
  }
}
