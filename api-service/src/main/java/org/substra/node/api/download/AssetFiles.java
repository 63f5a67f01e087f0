package org.substra.node.api.download;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.function.BiFunction;
import org.substra.node.api.error.ApiException;

/**
 * The files of one kind of asset (function, data manager) in one bucket under {@code <key>/<file>},
 * (read by channel and key) served to those the asset's process permission lets in (REST spec
 * §5.2).
 */
public final class AssetFiles {

  private final String model;
  private final String bucket;
  private final BiFunction<String, String, Uni<Map<String, Object>>> read;
  private final Downloads downloads;

  public AssetFiles(
      String model,
      String bucket,
      BiFunction<String, String, Uni<Map<String, Object>>> read,
      Downloads downloads) {
    this.model = model;
    this.bucket = bucket;
    this.read = read;
    this.downloads = downloads;
  }

  /** {@code file} of the asset {@code key}, saved by the browser as {@code filename}. */
  @SuppressWarnings("unchecked")
  public Response serve(
      String channel, String key, String file, String filename, String contentType) {
    Map<String, Object> asset =
        ApiException.found(read.apply(channel, Downloads.key(key)).await().indefinitely(), model);
    Map<String, Object> permissions = (Map<String, Object>) asset.get("permissions");
    downloads.requireAllowed(
        (Map<String, Object>) permissions.get("process"), model + " \"" + key + "\"");
    return downloads.stream(
        (String) asset.get("owner"), bucket, asset.get("key") + "/" + file, filename, contentType);
  }
}
