package org.substra.node.scheduler.storage;

import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Deletes the objects no asset needs: files whose asset the read model does not know, once older
 * than the grace period (uploads never registered), and files of disabled models. Objects whose
 * name does not follow the agreed layout are left alone: this job only deletes what it understands.
 */
@Singleton
public class StorageCleanupService {

  private static final Logger LOG = Logger.getLogger(StorageCleanupService.class);
  private static final int BATCH = 500;

  /** What one clean-up did. */
  public record Outcome(int examined, int deleted) {
    @Override
    public String toString() {
      return "examined " + examined + " objects, deleted " + deleted;
    }
  }

  private final StorageCleanupConfig config;
  private final ObjectStore store;
  private final RegisteredAssetRepository assets;

  StorageCleanupService(
      StorageCleanupConfig config, ObjectStore store, RegisteredAssetRepository assets) {
    this.config = config;
    this.store = store;
    this.assets = assets;
  }

  public Outcome cleanUp() throws Exception {
    Instant now = Instant.now();
    Map<String, AssetKind> buckets = new LinkedHashMap<>();
    buckets.put(config.buckets().function(), AssetKind.FUNCTION);
    buckets.put(config.buckets().dataManager(), AssetKind.DATA_MANAGER);
    buckets.put(config.buckets().dataSample(), AssetKind.DATA_SAMPLE);
    buckets.put(config.buckets().model(), AssetKind.MODEL);
    buckets.put(config.buckets().assetLogs(), AssetKind.ASSET_LOGS);
    int examined = 0;
    int deleted = 0;
    for (Map.Entry<String, AssetKind> bucket : buckets.entrySet()) {
      Outcome outcome = cleanUp(bucket.getKey(), bucket.getValue(), now);
      examined += outcome.examined();
      deleted += outcome.deleted();
    }
    return new Outcome(examined, deleted);
  }

  private Outcome cleanUp(String bucket, AssetKind kind, Instant now) throws Exception {
    if (!store.exists(bucket)) {
      // Nothing was ever uploaded there.
      return new Outcome(0, 0);
    }
    Instant orphanBefore = now.minus(config.orphanGracePeriod());
    List<ObjectStore.StoredObject> candidates = new ArrayList<>();
    int[] examined = {0};
    // Only objects past the grace period are candidates, whatever their asset: a disabled model's
    // file then goes at most one grace period late, which costs space only.
    store.forEach(
        bucket,
        object -> {
          examined[0]++;
          if (object.lastModified().isBefore(orphanBefore)
              && assetKey(kind, object.name()).isPresent()) {
            candidates.add(object);
          }
        });
    int deleted = 0;
    for (int from = 0; from < candidates.size(); from += BATCH) {
      List<ObjectStore.StoredObject> batch =
          candidates.subList(from, Math.min(candidates.size(), from + BATCH));
      Set<UUID> keys = new HashSet<>();
      batch.forEach(object -> keys.add(assetKey(kind, object.name()).orElseThrow()));
      Set<UUID> needed = assets.needed(kind, keys);
      for (ObjectStore.StoredObject object : batch) {
        if (!needed.contains(assetKey(kind, object.name()).orElseThrow())) {
          store.delete(bucket, object.name());
          LOG.infof("deleted %s/%s: its %s is not needed", bucket, object.name(), kind);
          deleted++;
        }
      }
    }
    return new Outcome(examined[0], deleted);
  }

  /**
   * The asset key an object belongs to, from the agreed layout; empty when it does not follow it.
   */
  static Optional<UUID> assetKey(AssetKind kind, String name) {
    String path = name;
    if (kind == AssetKind.MODEL) {
      if (!path.startsWith("models/")) {
        return Optional.empty();
      }
      path = path.substring("models/".length());
    }
    int slash = path.indexOf('/');
    String first = slash < 0 ? path : path.substring(0, slash);
    try {
      UUID key = UUID.fromString(first);
      // UUID.fromString accepts shortened groups; only the canonical form is an asset key.
      return key.toString().equalsIgnoreCase(first) ? Optional.of(key) : Optional.empty();
    } catch (IllegalArgumentException notAKey) {
      return Optional.empty();
    }
  }
}
