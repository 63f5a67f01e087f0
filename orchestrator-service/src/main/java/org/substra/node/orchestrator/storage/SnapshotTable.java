package org.substra.node.orchestrator.storage;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.substra.node.orchestrator.asset.Validator;

/**
 * A table of asset snapshots: a uuid {@code key}, a {@code channel} and the protobuf {@code
 * payload}. Every lookup is scoped to the transaction's channel (spec §3.1).
 */
public final class SnapshotTable<T extends Message> {

  private final String table;
  private final Parser<T> parser;
  private final Function<T, String> key;

  public SnapshotTable(String table, Parser<T> parser, Function<T, String> key) {
    this.table = table;
    this.parser = parser;
    this.key = key;
  }

  /** The asset, or null: a key that is not a UUID names no asset. */
  public Uni<T> find(Tx tx, String assetKey) {
    return find(tx, assetKey, "key");
  }

  /** The asset whose uuid {@code column} is {@code assetKey}, or null. */
  public Uni<T> find(Tx tx, String assetKey, String column) {
    if (!Validator.isUuid(assetKey)) {
      return Uni.createFrom().nullItem();
    }
    return tx.connection()
        .preparedQuery(
            "SELECT payload FROM " + table + " WHERE channel = $1 AND " + column + " = $2")
        .execute(Tuple.of(tx.channel(), UUID.fromString(assetKey)))
        .map(rows -> rows.size() == 0 ? null : decode(rows.iterator().next()));
  }

  /** The assets of {@code keys} that exist, by key. */
  public Uni<Map<String, T>> findAll(Tx tx, Collection<String> keys) {
    List<UUID> uuids = uuids(keys);
    if (uuids.isEmpty()) {
      return Uni.createFrom().item(Map.of());
    }
    return tx.connection()
        .preparedQuery("SELECT payload FROM " + table + " WHERE channel = $1 AND key = ANY($2)")
        .execute(Tuple.of(tx.channel(), uuids.toArray(UUID[]::new)))
        .map(
            rows -> {
              Map<String, T> found = new LinkedHashMap<>();
              for (T asset : decodeAll(rows)) {
                found.put(key.apply(asset), asset);
              }
              return found;
            });
  }

  /**
   * One page of the channel's assets matching {@code condition} (parameters from $2 on), in {@code
   * order}.
   */
  public Uni<List<T>> page(Tx tx, String condition, List<Object> params, String order, Page page) {
    List<Object> all = new ArrayList<>();
    all.add(tx.channel());
    all.addAll(params);
    all.add(page.fetchSize());
    all.add(page.offset());
    String sql =
        "SELECT payload FROM "
            + table
            + " WHERE channel = $1"
            + (condition.isEmpty() ? "" : " AND " + condition)
            + " ORDER BY "
            + order
            + " LIMIT $"
            + (all.size() - 1)
            + " OFFSET $"
            + all.size();
    return tx.connection().preparedQuery(sql).execute(Tuple.tuple(all)).map(this::decodeAll);
  }

  /** Rewrites the snapshot of an existing asset. */
  public Uni<Void> update(Tx tx, T asset) {
    return tx.connection()
        .preparedQuery("UPDATE " + table + " SET payload = $2 WHERE key = $1")
        .execute(Tuple.of(UUID.fromString(key.apply(asset)), payload(asset)))
        .replaceWithVoid();
  }

  public List<T> decodeAll(RowSet<Row> rows) {
    List<T> assets = new ArrayList<>(rows.size());
    for (Row row : rows) {
      assets.add(decode(row));
    }
    return assets;
  }

  public T decode(Row row) {
    try {
      return parser.parseFrom(row.getBuffer("payload").getBytes());
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("unreadable " + table + " payload", e);
    }
  }

  public static Buffer payload(Message asset) {
    return Buffer.buffer(asset.toByteArray());
  }

  /** The keys that are UUIDs, as UUIDs: the others name no asset. */
  public static List<UUID> uuids(Collection<String> keys) {
    List<UUID> uuids = new ArrayList<>(keys.size());
    for (String value : keys) {
      if (Validator.isUuid(value)) {
        uuids.add(UUID.fromString(value));
      }
    }
    return uuids;
  }
}
