package org.substra.node.api.registration;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.substra.node.api.error.ApiException;
import org.substra.node.api.storage.ObjectStorage;
import org.substra.node.orchestrator.protocol.Addressable;

/**
 * The steps every registration shares: files stored first, then the orchestrator asked, and the
 * files removed again when it refuses, so that a failed registration leaves nothing behind.
 */
@ApplicationScoped
public class Registrations {

  private final ObjectStorage storage;
  private final Visibility visibility;

  Registrations(ObjectStorage storage, Visibility visibility) {
    this.storage = storage;
    this.visibility = visibility;
  }

  /**
   * Stores {@code files} (object name → uploaded file) in {@code bucket}, then runs {@code
   * register} with their SHA-256 by object name.
   */
  public void storeThenRegister(
      String bucket, Map<String, Path> files, Function<Map<String, String>, Uni<Void>> register) {
    Map<String, String> checksums = new LinkedHashMap<>();
    try {
      files.forEach((object, file) -> checksums.put(object, storage.put(bucket, object, file)));
      register.apply(checksums).await().indefinitely();
    } catch (RuntimeException refused) {
      checksums.keySet().forEach(object -> storage.remove(bucket, object));
      throw refused;
    }
  }

  /** A file as the orchestrator records it: checksum and the URL it is served at. */
  public static Addressable addressable(String checksum, String address) {
    return Addressable.newBuilder().setChecksum(checksum).setStorageAddress(address).build();
  }

  /**
   * Renames an asset (REST spec §4.3 PUT): 404 when the caller's channel has none of that key, the
   * orchestrator decides who may, and the answer waits until the read model has the name.
   */
  public void rename(
      String model,
      Supplier<Uni<Map<String, Object>>> read,
      String body,
      Function<String, Uni<Void>> update) {
    ApiException.found(read.get().await().indefinitely(), model);
    String name = RequestJson.parse(body, "the request body").name();
    update.apply(name).await().indefinitely();
    visibility.await(
        () -> read.get().map(found -> name.equals(found.get("name")) ? found : null),
        "The new name");
  }
}
