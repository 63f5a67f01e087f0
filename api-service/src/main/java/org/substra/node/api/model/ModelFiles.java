package org.substra.node.api.model;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.substra.node.api.auth.CurrentUser;
import org.substra.node.api.config.ApiConfig;
import org.substra.node.api.download.Downloads;
import org.substra.node.api.error.ApiException;
import org.substra.node.api.storage.Buckets;

/**
 * Model files (REST spec §5.3): the export for users and for a peer exporting on behalf of its user
 * ({@code Substra-Proxy-Asset}), and the input model a peer's worker fetches.
 */
@ApplicationScoped
public class ModelFiles {

  /** Set by a backend that proxies its user's export to the model's owner. */
  public static final String PROXY_HEADER = "Substra-Proxy-Asset";

  private final ModelReadModel models;
  private final Downloads downloads;
  private final ApiConfig config;
  private final CurrentUser current;

  ModelFiles(ModelReadModel models, Downloads downloads, ApiConfig config, CurrentUser current) {
    this.models = models;
    this.downloads = downloads;
    this.config = config;
    this.current = current;
  }

  /**
   * {@code GET /model/{key}/file/}: an organization without the proxy header is a worker fetching
   * an input model (process permission, no export setting); anyone else exports (download
   * permission, the channel's model_export_enabled).
   */
  @SuppressWarnings("unchecked")
  public Response file(String channel, String key, boolean proxied) {
    String checked = Downloads.key(key);
    boolean taskInput = current.organization().isPresent() && !proxied;
    ApiConfig.Channel settings = config.channels().get(channel);
    if (!taskInput && (settings == null || !settings.modelExportEnabled())) {
      throw ApiException.detail(
          403, "Disabled: model_export_enabled is disabled on " + config.organizationId());
    }
    Map<String, Object> model =
        ApiException.found(models.get(channel, checked, "").await().indefinitely(), "Model");
    Map<String, Object> permissions = (Map<String, Object>) model.get("permissions");
    downloads.requireAllowed(
        (Map<String, Object>) permissions.get(taskInput ? "process" : "download"),
        "model \"" + key + "\"");
    if (model.get("address") == null) {
      throw ApiException.detail(410, "Asset not available anymore");
    }
    return downloads.stream(
        (String) model.get("owner"),
        Buckets.MODELS,
        Buckets.modelObject(checked),
        "model_" + checked,
        "application/octet-stream");
  }
}
