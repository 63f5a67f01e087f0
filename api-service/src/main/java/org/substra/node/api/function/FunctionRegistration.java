package org.substra.node.api.function;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.jboss.resteasy.reactive.multipart.FileUpload;
import org.substra.node.api.config.ApiConfig;
import org.substra.node.api.error.ApiException;
import org.substra.node.api.orchestrator.Orchestrator;
import org.substra.node.api.registration.Archives;
import org.substra.node.api.registration.Registrations;
import org.substra.node.api.registration.RequestJson;
import org.substra.node.api.registration.Uploads;
import org.substra.node.api.registration.Visibility;
import org.substra.node.api.storage.Buckets;
import org.substra.node.orchestrator.protocol.AssetKind;
import org.substra.node.orchestrator.protocol.FunctionInput;
import org.substra.node.orchestrator.protocol.FunctionOutput;
import org.substra.node.orchestrator.protocol.NewFunction;

/**
 * Registers functions (REST spec §4.3): archive and description streamed to object storage, then
 * the function registered in the orchestrator; a refusal removes the stored files again.
 */
@ApplicationScoped
public class FunctionRegistration {

  private final Registrations registrations;
  private final Orchestrator orchestrator;
  private final FunctionReadModel functions;
  private final Visibility visibility;
  private final Uploads uploads;
  private final ApiConfig config;

  FunctionRegistration(
      Registrations registrations,
      Orchestrator orchestrator,
      FunctionReadModel functions,
      Visibility visibility,
      Uploads uploads,
      ApiConfig config) {
    this.registrations = registrations;
    this.orchestrator = orchestrator;
    this.functions = functions;
    this.visibility = visibility;
    this.uploads = uploads;
    this.config = config;
  }

  public Map<String, Object> register(
      String channel, String base, String json, FileUpload archive, FileUpload description) {
    if (!config.builderEnabled()) {
      throw ApiException.detail(422, "No builder available on this organization");
    }
    RequestJson request = RequestJson.parse(json, "the \"json\" field");
    NewFunction.Builder function =
        NewFunction.newBuilder()
            .setName(request.name())
            .setNewPermissions(request.permissions("permissions"))
            .putAllMetadata(request.metadata())
            .putAllInputs(inputs(request.node().get("inputs")))
            .putAllOutputs(outputs(request.node().get("outputs")));
    uploads.requireFile(archive, "file");
    uploads.requireFile(description, "description");
    try {
      Archives.checkFunction(
          archive.uploadedFile(), uploads.maxFileSize(), uploads.archiveBounds());
    } catch (Archives.Refused refused) {
      throw Uploads.notComputed("file", refused.getMessage());
    }
    String key = UUID.randomUUID().toString();
    String address = config.host() + "/function/" + key;
    Map<String, Path> files = new LinkedHashMap<>();
    files.put(key + "/archive", archive.uploadedFile());
    files.put(key + "/description", description.uploadedFile());
    registrations.storeThenRegister(
        Buckets.FUNCTIONS,
        files,
        checksums ->
            orchestrator.registerFunction(
                channel,
                function
                    .setKey(key)
                    .setArchive(
                        Registrations.addressable(
                            checksums.get(key + "/archive"), address + "/file/"))
                    .setDescription(
                        Registrations.addressable(
                            checksums.get(key + "/description"), address + "/description/"))
                    .build()));
    return visibility.await(() -> functions.get(channel, key, base), "The function");
  }

  public void rename(String channel, String key, String body) {
    registrations.rename(
        "Function",
        () -> functions.get(channel, key, ""),
        body,
        name -> orchestrator.renameFunction(channel, key, name));
  }

  private static Map<String, FunctionInput> inputs(JsonNode declared) {
    Map<String, FunctionInput> inputs = new LinkedHashMap<>();
    for (var entry : declarations(declared, "inputs").entrySet()) {
      JsonNode input = entry.getValue();
      inputs.put(
          entry.getKey(),
          FunctionInput.newBuilder()
              .setKind(kind(input, "inputs"))
              .setOptional(flag(input, "optional", "inputs"))
              .setMultiple(flag(input, "multiple", "inputs"))
              .build());
    }
    return inputs;
  }

  private static Map<String, FunctionOutput> outputs(JsonNode declared) {
    Map<String, FunctionOutput> outputs = new LinkedHashMap<>();
    for (var entry : declarations(declared, "outputs").entrySet()) {
      JsonNode output = entry.getValue();
      outputs.put(
          entry.getKey(),
          FunctionOutput.newBuilder()
              .setKind(kind(output, "outputs"))
              .setMultiple(flag(output, "multiple", "outputs"))
              .build());
    }
    return outputs;
  }

  /** Missing inputs or outputs mean none (the reference answers 500). */
  private static Map<String, JsonNode> declarations(JsonNode declared, String field) {
    Map<String, JsonNode> declarations = new LinkedHashMap<>();
    if (declared == null || declared.isNull()) {
      return declarations;
    }
    if (!declared.isObject()) {
      throw ApiException.field(400, field, "Expected an object keyed by identifier.");
    }
    for (var entry : declared.properties()) {
      if (entry.getKey().isEmpty() || entry.getKey().length() > 100) {
        throw ApiException.field(400, field, "Identifiers have 1 to 100 characters.");
      }
      if (!entry.getValue().isObject()) {
        throw ApiException.field(
            400, field, "\"" + entry.getKey() + "\" must be an object with a \"kind\".");
      }
      declarations.put(entry.getKey(), entry.getValue());
    }
    return declarations;
  }

  private static AssetKind kind(JsonNode declaration, String field) {
    JsonNode kind = declaration.get("kind");
    if (kind != null && kind.isTextual()) {
      try {
        AssetKind parsed = AssetKind.valueOf(kind.asText());
        if (parsed != AssetKind.UNRECOGNIZED) {
          return parsed;
        }
      } catch (IllegalArgumentException e) {
        // reported below
      }
    }
    throw ApiException.field(400, field, "\"" + kind + "\" is not a valid asset kind.");
  }

  private static boolean flag(JsonNode declaration, String name, String field) {
    JsonNode flag = declaration.get(name);
    if (flag == null || flag.isNull()) {
      return false;
    }
    if (!flag.isBoolean()) {
      throw ApiException.field(400, field, "\"" + name + "\" must be true or false.");
    }
    return flag.asBoolean();
  }
}
