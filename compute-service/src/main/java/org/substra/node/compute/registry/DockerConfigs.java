package org.substra.node.compute.registry;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Optional;

/**
 * Registry credentials from a Docker {@code config.json} (the chart mounts Kaniko's {@code
 * .dockerconfigjson} Secret): the same credentials Kaniko pushes with.
 */
final class DockerConfigs {

  private DockerConfigs() {}

  /**
   * The {@code user:password} (base64) of {@code address} in the {@code auths} of the file; none
   * when the file or the entry does not exist.
   */
  static Optional<String> basicAuth(Path file, String address) {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    JsonObject auths;
    try {
      auths =
          new JsonObject(Files.readString(file, StandardCharsets.UTF_8))
              .getJsonObject("auths", new JsonObject());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    } catch (DecodeException | ClassCastException e) {
      throw new IllegalArgumentException(file + " is not a Docker config: " + e.getMessage());
    }
    for (String key : auths.fieldNames()) {
      if (!host(key).equals(address)) {
        continue;
      }
      JsonObject entry = auths.getJsonObject(key);
      String username = entry.getString("username");
      String password = entry.getString("password");
      if (username != null && password != null) {
        return Optional.of(
            Base64.getEncoder()
                .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8)));
      }
      return Optional.ofNullable(entry.getString("auth"));
    }
    return Optional.empty();
  }

  /** Keys may be written {@code host:port}, {@code https://host:port} or {@code .../v2/}. */
  private static String host(String key) {
    String host = key.replaceFirst("^[a-zA-Z]+://", "");
    int slash = host.indexOf('/');
    return slash < 0 ? host : host.substring(0, slash);
  }
}
