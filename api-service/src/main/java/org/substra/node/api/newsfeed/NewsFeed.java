package org.substra.node.api.newsfeed;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.substra.node.api.json.Dates;
import org.substra.node.api.listing.Listing;
import org.substra.node.api.listing.QueryPage;

/**
 * What happened in the channel, newest first (REST spec §4.11, UI): plans created, started and
 * ended, datasets created; derived from the read model's dates, nothing stored.
 */
@ApplicationScoped
public class NewsFeed {

  private static final String NEWS =
      "(SELECT 'ASSET_COMPUTE_PLAN' AS asset_kind, key AS asset_key, name,"
          + " 'STATUS_CREATED' AS status, creation_date AS at, NULL::uuid AS failed_task_key,"
          + " channel, false AS important FROM read_model.compute_plans"
          + " UNION ALL SELECT 'ASSET_COMPUTE_PLAN', key, name, 'STATUS_DOING', start_date, NULL,"
          + " channel, false FROM read_model.compute_plans WHERE start_date IS NOT NULL"
          // An ended plan's status without its PLAN_ prefix, as the reference words it.
          + " UNION ALL SELECT 'ASSET_COMPUTE_PLAN', key, name, substring(status FROM 6),"
          + " end_date, failed_task_key, channel, true FROM read_model.compute_plans"
          + " WHERE end_date IS NOT NULL"
          + " UNION ALL SELECT 'ASSET_DATA_MANAGER', key, name, 'STATUS_CREATED', creation_date,"
          + " NULL, channel, false FROM read_model.data_managers) news";

  private final Pool pool;

  NewsFeed(Pool pool) {
    this.pool = pool;
  }

  public Uni<Map<String, Object>> page(String channel, Listing listing) {
    List<Object> params = new ArrayList<>();
    params.add(channel);
    StringBuilder where = new StringBuilder("channel = $1");
    OffsetDateTime after = listing.date("timestamp_after");
    if (after != null) {
      params.add(after);
      where.append(" AND at >= $").append(params.size());
    }
    OffsetDateTime before = listing.date("timestamp_before");
    if (before != null) {
      params.add(before);
      where.append(" AND at < $").append(params.size());
    }
    if ("true".equalsIgnoreCase(listing.last("important_news_only"))) {
      where.append(" AND important");
    }
    return QueryPage.of(
        pool,
        "*",
        "FROM " + NEWS + " WHERE " + where,
        params,
        "at DESC, asset_key",
        listing,
        NewsFeed::item);
  }

  private static Map<String, Object> item(Row row) {
    Map<String, Object> item = new LinkedHashMap<>();
    item.put("asset_kind", row.getString("asset_kind"));
    item.put("asset_key", row.getUUID("asset_key").toString());
    item.put("name", row.getString("name"));
    item.put("status", row.getString("status"));
    item.put("timestamp", Dates.format(row.getOffsetDateTime("at")));
    UUID failed = row.getUUID("failed_task_key");
    item.put(
        "detail", failed == null ? Map.of() : Map.of("first_failed_task_key", failed.toString()));
    return item;
  }
}
