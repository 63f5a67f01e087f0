package org.substra.node.api.download;

import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import org.substra.node.api.auth.CurrentUser;
import org.substra.node.api.config.ApiConfig;
import org.substra.node.api.error.ApiException;
import org.substra.node.api.orglink.PeerDownloads;
import org.substra.node.api.registration.RequestJson;
import org.substra.node.api.storage.ObjectStorage;

/**
 * File downloads of REST spec §5: the permission check, then the stored object streamed with the
 * headers the SDK and browsers expect.
 */
@ApplicationScoped
public class Downloads {

  private final ObjectStorage storage;
  private final ApiConfig config;
  private final CurrentUser current;
  private final PeerDownloads peers;
  private final CurrentVertxRequest request;

  Downloads(
      ObjectStorage storage,
      ApiConfig config,
      CurrentUser current,
      PeerDownloads peers,
      CurrentVertxRequest request) {
    this.storage = storage;
    this.config = config;
    this.current = current;
    this.peers = peers;
    this.request = request;
  }

  /** The key of a download route, or the reference's 400. */
  public static String key(String key) {
    try {
      return RequestJson.uuid("key", key);
    } catch (ApiException e) {
      throw ApiException.detail(400, "key is not a valid UUID: \"" + key + "\"");
    }
  }

  /**
   * Refuses (403) unless {@code permission} ({@code {"public", "authorized_ids"}}) lets the
   * requesting organization have the file: the calling organization for another backend (REST spec
   * §5.2 step 4), else this organization, which acts for its users.
   */
  public void requireAllowed(Map<String, Object> permission, String what) {
    String organization = current.organization().orElse(config.organizationId());
    boolean allowed =
        Boolean.TRUE.equals(permission.get("public"))
            || ((List<?>) permission.getOrDefault("authorized_ids", List.of()))
                .contains(organization);
    if (!allowed) {
      throw ApiException.detail(403, organization + " is not authorized to access " + what + ".");
    }
  }

  /**
   * The object, streamed; a file owned by another organization is fetched from its owner on the
   * same route as this request (REST spec §5.2 step 6).
   */
  public Response stream(
      String owner, String bucket, String object, String filename, String contentType) {
    return stream(owner, null, bucket, object, filename, contentType);
  }

  /** As above; {@code remotePath}, when set, is the owner's route when it differs from ours. */
  public Response stream(
      String owner,
      String remotePath,
      String bucket,
      String object,
      String filename,
      String contentType) {
    if (!owner.equals(config.organizationId())) {
      String path = remotePath != null ? remotePath : request.getCurrent().request().path();
      return peers.relay(owner, current.channel(), path, current.organization().isEmpty());
    }
    ObjectStorage.StoredObject stored = storage.get(bucket, object);
    if (stored == null) {
      throw ApiException.detail(410, "Asset not available anymore");
    }
    return Response.ok(stored.content(), contentType)
        .header("Content-Length", stored.size())
        .header("Content-Disposition", "attachment; filename=\"" + filename + "\"")
        .header("Access-Control-Expose-Headers", "Content-Disposition")
        .build();
  }
}
