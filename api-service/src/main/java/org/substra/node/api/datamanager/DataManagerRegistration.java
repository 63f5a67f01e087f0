package org.substra.node.api.datamanager;

import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.jboss.resteasy.reactive.multipart.FileUpload;
import org.substra.node.api.config.ApiConfig;
import org.substra.node.api.orchestrator.Orchestrator;
import org.substra.node.api.registration.Registrations;
import org.substra.node.api.registration.RequestJson;
import org.substra.node.api.registration.Uploads;
import org.substra.node.api.registration.Visibility;
import org.substra.node.api.storage.Buckets;
import org.substra.node.orchestrator.protocol.NewDataManager;

/**
 * Registers data managers, the SDK's datasets (REST spec §4.4): opener and description stored, then
 * registered in the orchestrator.
 */
@ApplicationScoped
public class DataManagerRegistration {

  private final Registrations registrations;
  private final Orchestrator orchestrator;
  private final DataManagerReadModel managers;
  private final Visibility visibility;
  private final Uploads uploads;
  private final ApiConfig config;

  DataManagerRegistration(
      Registrations registrations,
      Orchestrator orchestrator,
      DataManagerReadModel managers,
      Visibility visibility,
      Uploads uploads,
      ApiConfig config) {
    this.registrations = registrations;
    this.orchestrator = orchestrator;
    this.managers = managers;
    this.visibility = visibility;
    this.uploads = uploads;
    this.config = config;
  }

  public Map<String, Object> register(
      String channel, String base, String json, FileUpload opener, FileUpload description) {
    RequestJson request = RequestJson.parse(json, "the \"json\" field");
    NewDataManager.Builder manager =
        NewDataManager.newBuilder()
            .setName(request.name())
            .setNewPermissions(request.permissions("permissions"))
            .setLogsPermission(request.permissions("logs_permission"))
            .setType(request.text("type", ""))
            .putAllMetadata(request.metadata());
    uploads.requireFile(opener, "data_opener");
    uploads.requireFile(description, "description");
    String key = UUID.randomUUID().toString();
    String address = config.host() + "/data_manager/" + key;
    Map<String, Path> files = new LinkedHashMap<>();
    files.put(key + "/opener", opener.uploadedFile());
    files.put(key + "/description", description.uploadedFile());
    registrations.storeThenRegister(
        Buckets.DATA_MANAGERS,
        files,
        checksums ->
            orchestrator.registerDataManager(
                channel,
                manager
                    .setKey(key)
                    .setOpener(
                        Registrations.addressable(
                            checksums.get(key + "/opener"), address + "/opener/"))
                    .setDescription(
                        Registrations.addressable(
                            checksums.get(key + "/description"), address + "/description/"))
                    .build()));
    return visibility.await(() -> managers.get(channel, key, base), "The dataset");
  }

  public void rename(String channel, String key, String body) {
    registrations.rename(
        "DataManager",
        () -> managers.get(channel, key, ""),
        body,
        name -> orchestrator.renameDataManager(channel, key, name));
  }
}
