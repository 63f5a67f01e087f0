package org.substra.node.scheduler.registry;

import jakarta.inject.Singleton;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Deletes the function images no function needs any more from the node's registry. Only tags of the
 * function-image form are considered; a manifest another needed tag points to is kept (a manifest
 * deletion removes every tag of that digest). The registry's own garbage collection then frees the
 * blobs.
 */
@Singleton
public class RegistryHousekeepingService {

  private static final Logger LOG = Logger.getLogger(RegistryHousekeepingService.class);
  private static final Pattern FUNCTION_IMAGE = Pattern.compile("function-[0-9a-f]{16}");

  /** What one housekeeping did. */
  public record Outcome(int tags, int deleted) {
    @Override
    public String toString() {
      return "examined " + tags + " image tags, deleted " + deleted;
    }
  }

  private final RegistryConfig registry;
  private final RegistryHousekeepingConfig config;
  private final RegistryClient client;
  private final FunctionImageRepository images;

  RegistryHousekeepingService(
      RegistryConfig registry,
      RegistryHousekeepingConfig config,
      RegistryClient client,
      FunctionImageRepository images) {
    this.registry = registry;
    this.config = config;
    this.client = client;
    this.images = images;
  }

  public Outcome houseKeep() throws Exception {
    String repository = registry.userImageRepository();
    Set<String> needed = images.neededTags(config.retention());
    Map<String, String> unneededDigests = new LinkedHashMap<>();
    Set<String> neededDigests = new HashSet<>();
    var tags = client.tags(repository);
    for (String tag : tags) {
      if (!FUNCTION_IMAGE.matcher(tag).matches()) {
        neededDigests.addAll(client.digest(repository, tag).stream().toList());
        continue;
      }
      Optional<String> digest = client.digest(repository, tag);
      if (digest.isEmpty()) {
        continue;
      }
      if (needed.contains(tag)) {
        neededDigests.add(digest.get());
      } else {
        unneededDigests.put(tag, digest.get());
      }
    }
    int deleted = 0;
    for (Map.Entry<String, String> image : unneededDigests.entrySet()) {
      if (neededDigests.contains(image.getValue())) {
        continue;
      }
      client.delete(repository, image.getValue());
      neededDigests.add(image.getValue()); // deleted once: a second tag of it has nothing left
      LOG.infof(
          "deleted image %s:%s (%s): no function needs it",
          repository, image.getKey(), image.getValue());
      deleted++;
    }
    return new Outcome(tags.size(), deleted);
  }
}
