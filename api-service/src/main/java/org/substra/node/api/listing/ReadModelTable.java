package org.substra.node.api.listing;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * One asset table of event-service's read model ({@code read_model.<table>}, keyed by a uuid {@code
 * key}, scoped by {@code channel}) served with the REST list conventions: the filters every asset
 * list shares, counting, paging, and the JSON pieces every asset has.
 */
public final class ReadModelTable {

  private final Pool pool;
  private final String table;
  private final Map<String, String> ordering;

  public ReadModelTable(Pool pool, String table, Map<String, String> ordering) {
    this.pool = pool;
    this.table = "read_model." + table;
    this.ordering = ordering;
  }

  /** Conditions on the channel and on {@code key}, {@code owner}, {@code name}, dates, match. */
  public Filter filter(String channel, Listing listing) {
    Filter filter = new Filter();
    filter.add("channel = ?", channel);
    List<String> keys = listing.in("key");
    if (keys != null) {
      filter.add("key = ANY(?)", (Object) uuids(keys));
    }
    for (String column : List.of("owner", "name")) {
      List<String> values = listing.in(column);
      if (values != null) {
        filter.add(column + " = ANY(?)", (Object) values.toArray(String[]::new));
      }
    }
    var after = listing.date("creation_date_after");
    if (after != null) {
      filter.add("creation_date >= ?", after);
    }
    var before = listing.date("creation_date_before");
    if (before != null) {
      filter.add("creation_date <= ?", before);
    }
    for (String term : listing.matchTerms()) {
      // The term is searched as text: LIKE's own characters are escaped.
      String literal = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
      filter.add("(key::text ILIKE ? OR name ILIKE ?)", "%" + literal + "%", "%" + literal + "%");
    }
    permissionFilter(filter, listing, "can_process", "process");
    return filter;
  }

  /** {@code name=a,b}: the asset is public, or all of them are authorized. */
  public static void permissionFilter(
      Filter filter, Listing listing, String parameter, String prefix) {
    List<String> organizations = listing.in(parameter);
    if (organizations != null) {
      filter.add(
          "(" + prefix + "_public OR " + prefix + "_authorized_ids @> ?)",
          (Object) organizations.toArray(String[]::new));
    }
  }

  /** The paginated envelope of the rows matching {@code filter}, each turned into JSON. */
  public Uni<Map<String, Object>> page(
      Filter filter, Listing listing, Function<Row, Map<String, Object>> view) {
    String where = filter.sql();
    return pool.preparedQuery("SELECT count(*) FROM " + table + " WHERE " + where)
        .execute(Tuple.tuple(filter.params))
        .flatMap(
            counted -> {
              long count = counted.iterator().next().getLong(0);
              listing.count(count);
              List<Object> params = new ArrayList<>(filter.params);
              params.add(listing.limit());
              params.add(listing.offset());
              String sql =
                  "SELECT * FROM "
                      + table
                      + " WHERE "
                      + where
                      + " ORDER BY "
                      + listing.orderBy(ordering, "creation_date ASC", "key ASC")
                      + " LIMIT $"
                      + (params.size() - 1)
                      + " OFFSET $"
                      + params.size();
              return pool.preparedQuery(sql)
                  .execute(Tuple.tuple(params))
                  .map(
                      rows -> {
                        List<Map<String, Object>> results = new ArrayList<>();
                        rows.forEach(row -> results.add(view.apply(row)));
                        return listing.envelope(count, results);
                      });
            });
  }

  /** The channel's row of {@code key}, or null. */
  public Uni<Row> find(String channel, String key) {
    UUID uuid = uuid(key);
    if (uuid == null) {
      return Uni.createFrom().nullItem();
    }
    return pool.preparedQuery("SELECT * FROM " + table + " WHERE channel = $1 AND key = $2")
        .execute(Tuple.of(channel, uuid))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next());
  }

  public static Map<String, Object> permission(Row row, String prefix) {
    Map<String, Object> permission = new LinkedHashMap<>();
    permission.put("public", row.getBoolean(prefix + "_public"));
    permission.put(
        "authorized_ids", Arrays.asList(row.getArrayOfStrings(prefix + "_authorized_ids")));
    return permission;
  }

  public static Map<String, Object> permissions(Row row) {
    Map<String, Object> permissions = new LinkedHashMap<>();
    permissions.put("process", permission(row, "process"));
    permissions.put("download", permission(row, "download"));
    return permissions;
  }

  public static Map<String, Object> addressable(String checksum, String address) {
    Map<String, Object> addressable = new LinkedHashMap<>();
    addressable.put("checksum", checksum);
    addressable.put("storage_address", address);
    return addressable;
  }

  public static Map<String, Object> json(Row row, String column) {
    Object value = row.getValue(column);
    if (value instanceof JsonObject object) {
      return object.getMap();
    }
    return value == null ? Map.of() : new JsonObject(value.toString()).getMap();
  }

  public static UUID[] uuids(List<String> keys) {
    return keys.stream().map(ReadModelTable::uuid).filter(key -> key != null).toArray(UUID[]::new);
  }

  public static UUID uuid(String key) {
    try {
      return UUID.fromString(key);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** SQL conditions with their parameters; {@code ?} placeholders are numbered in order. */
  public static final class Filter {

    private final List<String> conditions = new ArrayList<>();
    private final List<Object> params = new ArrayList<>();

    public void add(String condition, Object... values) {
      StringBuilder numbered = new StringBuilder();
      int next = 0;
      for (char c : condition.toCharArray()) {
        if (c == '?') {
          params.add(values[next++]);
          numbered.append('$').append(params.size());
        } else {
          numbered.append(c);
        }
      }
      conditions.add(numbered.toString());
    }

    String sql() {
      return String.join(" AND ", conditions);
    }
  }
}
