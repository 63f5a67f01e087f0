package org.substra.node.api.root;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.Paths;

/**
 * Gives the document's paths back their trailing slash, which the scanner drops: every route of
 * this API ends with one (REST spec §1.1) except the root and the probes, and a client generated
 * from the document must call the routes that exist. Runs at build time ({@code
 * mp.openapi.filter}).
 */
public class TrailingSlashPaths implements OASFilter {

  private static final Set<String> WITHOUT_SLASH = Set.of("/", "/liveness", "/readiness");

  @Override
  public void filterOpenAPI(OpenAPI openAPI) {
    if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
      return;
    }
    Map<String, PathItem> slashed = new LinkedHashMap<>();
    openAPI
        .getPaths()
        .getPathItems()
        .forEach(
            (path, item) ->
                slashed.put(
                    path.endsWith("/") || WITHOUT_SLASH.contains(path) ? path : path + "/", item));
    Paths paths = OASFactory.createPaths();
    slashed.forEach(paths::addPathItem);
    openAPI.setPaths(paths);
  }
}
