package org.substra.node.api.function;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.substra.node.api.json.Dates;
import org.substra.node.api.listing.Listing;

/** Functions as event-service projects them (schema {@code read_model}, REST spec §3.3, §4.3). */
@ApplicationScoped
public class FunctionReadModel {

  private static final Map<String, String> ORDERING =
      Map.of(
          "creation_date", "creation_date",
          "key", "key",
          "name", "name",
          "owner", "owner");

  private final Pool pool;

  FunctionReadModel(Pool pool) {
    this.pool = pool;
  }

  /** One page of the channel's functions matching the list's filters, with the total count. */
  public Uni<Map<String, Object>> list(String channel, Listing listing, String base) {
    List<Object> params = new ArrayList<>();
    String where = where(channel, listing, params);
    return pool.preparedQuery("SELECT count(*) FROM read_model.functions WHERE " + where)
        .execute(Tuple.tuple(params))
        .flatMap(
            counted -> {
              long count = counted.iterator().next().getLong(0);
              listing.count(count);
              List<Object> pageParams = new ArrayList<>(params);
              pageParams.add(listing.limit());
              pageParams.add(listing.offset());
              String sql =
                  "SELECT * FROM read_model.functions WHERE "
                      + where
                      + " ORDER BY "
                      + listing.orderBy(ORDERING, "creation_date ASC", "key ASC")
                      + " LIMIT $"
                      + (pageParams.size() - 1)
                      + " OFFSET $"
                      + pageParams.size();
              return pool.preparedQuery(sql)
                  .execute(Tuple.tuple(pageParams))
                  .map(
                      rows -> {
                        List<Map<String, Object>> results = new ArrayList<>();
                        rows.forEach(row -> results.add(view(row, base)));
                        return listing.envelope(count, results);
                      });
            });
  }

  /** The function, or null when the channel has none of that key. */
  public Uni<Map<String, Object>> get(String channel, String key, String base) {
    UUID uuid = uuid(key);
    if (uuid == null) {
      return Uni.createFrom().nullItem();
    }
    return pool.preparedQuery("SELECT * FROM read_model.functions WHERE channel = $1 AND key = $2")
        .execute(Tuple.of(channel, uuid))
        .map(rows -> rows.size() == 0 ? null : view(rows.iterator().next(), base));
  }

  private static String where(String channel, Listing listing, List<Object> params) {
    List<String> conditions = new ArrayList<>();
    params.add(channel);
    conditions.add("channel = $1");
    List<String> keys = listing.in("key");
    if (keys != null) {
      params.add(
          keys.stream().map(FunctionReadModel::uuid).filter(k -> k != null).toArray(UUID[]::new));
      conditions.add("key = ANY($" + params.size() + ")");
    }
    List<String> owners = listing.in("owner");
    if (owners != null) {
      params.add(owners.toArray(String[]::new));
      conditions.add("owner = ANY($" + params.size() + ")");
    }
    List<String> names = listing.in("name");
    if (names != null) {
      params.add(names.toArray(String[]::new));
      conditions.add("name = ANY($" + params.size() + ")");
    }
    List<String> plans = listing.in("compute_plan_key");
    if (plans != null) {
      params.add(
          plans.stream().map(FunctionReadModel::uuid).filter(k -> k != null).toArray(UUID[]::new));
      conditions.add(
          "key IN (SELECT function_key FROM read_model.compute_tasks WHERE compute_plan_key ="
              + " ANY($"
              + params.size()
              + "))");
    }
    if (listing.date("creation_date_after") != null) {
      params.add(listing.date("creation_date_after"));
      conditions.add("creation_date >= $" + params.size());
    }
    if (listing.date("creation_date_before") != null) {
      params.add(listing.date("creation_date_before"));
      conditions.add("creation_date <= $" + params.size());
    }
    for (String term : listing.matchTerms()) {
      // The term is searched as text: LIKE's own characters are escaped.
      String literal = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
      params.add("%" + literal + "%");
      conditions.add(
          "(key::text ILIKE $" + params.size() + " OR name ILIKE $" + params.size() + ")");
    }
    List<String> processors = listing.in("can_process");
    if (processors != null) {
      params.add(processors.toArray(String[]::new));
      conditions.add("(process_public OR process_authorized_ids @> $" + params.size() + ")");
    }
    return String.join(" AND ", conditions);
  }

  private static Map<String, Object> view(Row row, String base) {
    String key = row.getUUID("key").toString();
    Map<String, Object> function = new LinkedHashMap<>();
    function.put("key", key);
    function.put("name", row.getString("name"));
    function.put("owner", row.getString("owner"));
    Map<String, Object> process = permission(row, "process");
    function.put(
        "permissions", Map.of("process", process, "download", permission(row, "download")));
    function.put("metadata", json(row, "metadata"));
    function.put("creation_date", Dates.format(row.getOffsetDateTime("creation_date")));
    function.put(
        "description",
        addressable(
            row.getString("description_checksum"), base + "/function/" + key + "/description/"));
    function.put(
        "archive",
        addressable(row.getString("archive_checksum"), base + "/function/" + key + "/file/"));
    function.put("inputs", new TreeMap<>(json(row, "inputs")));
    function.put("outputs", new TreeMap<>(json(row, "outputs")));
    function.put("status", row.getString("status"));
    return function;
  }

  private static Map<String, Object> permission(Row row, String prefix) {
    Map<String, Object> permission = new LinkedHashMap<>();
    permission.put("public", row.getBoolean(prefix + "_public"));
    permission.put(
        "authorized_ids", Arrays.asList(row.getArrayOfStrings(prefix + "_authorized_ids")));
    return permission;
  }

  private static Map<String, Object> addressable(String checksum, String address) {
    Map<String, Object> addressable = new LinkedHashMap<>();
    addressable.put("checksum", checksum);
    addressable.put("storage_address", address);
    return addressable;
  }

  private static Map<String, Object> json(Row row, String column) {
    Object value = row.getValue(column);
    if (value instanceof JsonObject object) {
      return object.getMap();
    }
    return value == null ? Map.of() : new JsonObject(value.toString()).getMap();
  }

  private static UUID uuid(String key) {
    try {
      return UUID.fromString(key);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
