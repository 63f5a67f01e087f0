package org.substra.node.api.info;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;
import org.substra.node.api.auth.CurrentUser;

/** {@code GET /info/}: who this node is, and for a user its channel and versions (§4.1). */
@Path("/info/")
@Produces(MediaType.APPLICATION_JSON)
public class InfoResource {

  private final InfoService info;
  private final CurrentUser current;

  InfoResource(InfoService info, CurrentUser current) {
    this.info = info;
    this.current = current;
  }

  @GET
  public Uni<Map<String, Object>> info() {
    return info.describe(current.get().orElse(null));
  }
}
