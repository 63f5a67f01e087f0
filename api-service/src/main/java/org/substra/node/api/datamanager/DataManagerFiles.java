package org.substra.node.api.datamanager;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import org.substra.node.api.download.AssetFiles;
import org.substra.node.api.download.Downloads;
import org.substra.node.api.storage.Buckets;

/** A data manager's opener and description (REST spec §5.2). */
@ApplicationScoped
public class DataManagerFiles {

  private final AssetFiles files;

  DataManagerFiles(DataManagerReadModel managers, Downloads downloads) {
    this.files =
        new AssetFiles(
            "DataManager",
            Buckets.DATA_MANAGERS,
            (channel, key) -> managers.get(channel, key, ""),
            downloads);
  }

  public Response opener(String channel, String key) {
    return files.serve(channel, key, "opener", "opener.py", "text/x-python; charset=utf-8");
  }

  public Response description(String channel, String key) {
    return files.serve(
        channel, key, "description", "description.md", "text/markdown; charset=utf-8");
  }
}
