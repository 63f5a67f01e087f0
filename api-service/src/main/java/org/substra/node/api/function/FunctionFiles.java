package org.substra.node.api.function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import org.substra.node.api.download.AssetFiles;
import org.substra.node.api.download.Downloads;
import org.substra.node.api.storage.Buckets;

/** A function's archive and description (REST spec §5.2). */
@ApplicationScoped
public class FunctionFiles {

  private final AssetFiles files;

  FunctionFiles(FunctionReadModel functions, Downloads downloads) {
    this.files =
        new AssetFiles(
            "Function",
            Buckets.FUNCTIONS,
            (channel, key) -> functions.get(channel, key, ""),
            downloads);
  }

  public Response archive(String channel, String key) {
    return files.serve(channel, key, "archive", key + ".tar.gz", "application/octet-stream");
  }

  public Response description(String channel, String key) {
    return files.serve(
        channel, key, "description", "description.md", "text/markdown; charset=utf-8");
  }
}
