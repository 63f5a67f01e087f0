package org.substra.node.api.function;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.substra.node.api.json.Dates;
import org.substra.node.api.listing.Listing;
import org.substra.node.api.listing.ReadModelTable;

/** Functions as event-service projects them (schema {@code read_model}, REST spec §3.3, §4.3). */
@ApplicationScoped
public class FunctionReadModel {

  private final ReadModelTable functions;

  FunctionReadModel(Pool pool) {
    this.functions =
        new ReadModelTable(
            pool,
            "functions",
            Map.of(
                "creation_date", "creation_date",
                "key", "key",
                "name", "name",
                "owner", "owner"));
  }

  public Uni<Map<String, Object>> list(String channel, Listing listing, String base) {
    ReadModelTable.Filter filter = functions.filter(channel, listing);
    List<String> plans = listing.in("compute_plan_key");
    if (plans != null) {
      filter.add(
          "key IN (SELECT function_key FROM read_model.compute_tasks"
              + " WHERE compute_plan_key = ANY(?))",
          (Object) ReadModelTable.uuids(plans));
    }
    return functions.page(filter, listing, row -> view(row, base));
  }

  /** The function, or null when the channel has none of that key. */
  public Uni<Map<String, Object>> get(String channel, String key, String base) {
    return functions.find(channel, key).map(row -> row == null ? null : view(row, base));
  }

  private static Map<String, Object> view(Row row, String base) {
    String key = row.getUUID("key").toString();
    String address = base + "/function/" + key;
    Map<String, Object> function = new LinkedHashMap<>();
    function.put("key", key);
    function.put("name", row.getString("name"));
    function.put("owner", row.getString("owner"));
    function.put("permissions", ReadModelTable.permissions(row));
    function.put("metadata", ReadModelTable.json(row, "metadata"));
    function.put("creation_date", Dates.format(row.getOffsetDateTime("creation_date")));
    function.put(
        "description",
        ReadModelTable.addressable(
            row.getString("description_checksum"), address + "/description/"));
    function.put(
        "archive",
        ReadModelTable.addressable(row.getString("archive_checksum"), address + "/file/"));
    function.put("inputs", new TreeMap<>(ReadModelTable.json(row, "inputs")));
    function.put("outputs", new TreeMap<>(ReadModelTable.json(row, "outputs")));
    function.put("status", row.getString("status"));
    return function;
  }
}
