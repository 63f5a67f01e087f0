package org.substra.node.scheduler.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Which asset an object belongs to, by the layout agreed with api-service and compute-service. */
class AssetKeyTest {

  private static final UUID KEY = UUID.fromString("0d3c1f0e-5a7b-4c7e-9d1a-2b3c4d5e6f70");

  @Test
  void followsTheAgreedLayout() {
    assertThat(StorageCleanupService.assetKey(AssetKind.FUNCTION, KEY + "/archive")).contains(KEY);
    assertThat(StorageCleanupService.assetKey(AssetKind.DATA_SAMPLE, KEY.toString())).contains(KEY);
    assertThat(StorageCleanupService.assetKey(AssetKind.MODEL, "models/" + KEY + "/model"))
        .contains(KEY);
  }

  @Test
  void objectsOutsideTheLayoutBelongToNoAsset() {
    assertThat(StorageCleanupService.assetKey(AssetKind.MODEL, KEY + "/model")).isEmpty();
    assertThat(StorageCleanupService.assetKey(AssetKind.FUNCTION, "README")).isEmpty();
    // UUID.fromString would read "1-2-3-4-5" as a key.
    assertThat(StorageCleanupService.assetKey(AssetKind.DATA_SAMPLE, "1-2-3-4-5")).isEmpty();
    assertThat(StorageCleanupService.assetKey(AssetKind.FUNCTION, "")).isEmpty();
  }
}
