package org.substra.node.scheduler.storage;

/** What a bucket holds, hence which read-model table says whether an object is still needed. */
public enum AssetKind {
  FUNCTION,
  DATA_MANAGER,
  DATA_SAMPLE,
  MODEL,
  ASSET_LOGS
}
