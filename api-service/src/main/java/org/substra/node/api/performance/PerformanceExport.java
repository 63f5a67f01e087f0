package org.substra.node.api.performance;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.substra.node.api.computeplan.ComputePlanReadModel;
import org.substra.node.api.json.Dates;
import org.substra.node.api.listing.Listing;
import org.substra.node.api.listing.QueryPage;
import org.substra.node.api.listing.ReadModelTable;

/**
 * The channel's performances with their plan (REST spec §4.10, UI): a page of JSON rows, or all of
 * them as CSV. Filters are the plan filters of {@code GET /compute_plan/} plus {@code identifier}.
 */
@ApplicationScoped
public class PerformanceExport {

  private static final Map<String, String> ORDERING =
      Map.of(
          "task_rank", "t.rank",
          "task_round", "t.metadata ->> 'round_idx'",
          "worker", "t.worker");
  private static final String DEFAULT_ORDER =
      "t.rank ASC NULLS LAST, t.metadata ->> 'round_idx' ASC NULLS LAST, t.worker ASC";
  private static final String COLUMNS =
      "cp.key AS plan_key, cp.name AS plan_name, cp.tag AS plan_tag, cp.status AS plan_status,"
          + " cp.start_date AS plan_start, cp.end_date AS plan_end, cp.metadata AS plan_metadata,"
          + " t.worker, t.rank, t.metadata ->> 'round_idx' AS round,"
          + " p.compute_task_output_identifier AS identifier, p.performance_value";

  private final Pool pool;
  private final ComputePlanReadModel plans;

  PerformanceExport(Pool pool, ComputePlanReadModel plans) {
    this.pool = pool;
    this.plans = plans;
  }

  public Uni<Map<String, Object>> page(String channel, Listing listing) {
    Query query = query(channel, listing);
    return QueryPage.of(
        pool,
        COLUMNS,
        query.from,
        query.params,
        listing.orderBy(ORDERING, DEFAULT_ORDER, "p.compute_task_key, identifier"),
        listing,
        PerformanceExport::item);
  }

  /** CSV with one column per name of {@code metadata_columns} after the plan's own columns. */
  public Uni<String> csv(String channel, Listing listing) {
    Query query = query(channel, listing);
    String requested = listing.last("metadata_columns");
    List<String> metadata =
        requested == null || requested.isBlank() ? List.of() : List.of(requested.split(","));
    return pool.preparedQuery(
            "SELECT "
                + COLUMNS
                + " "
                + query.from
                + " ORDER BY "
                + listing.orderBy(ORDERING, DEFAULT_ORDER, "p.compute_task_key, identifier"))
        .execute(Tuple.tuple(query.params))
        .map(
            rows -> {
              StringBuilder csv = new StringBuilder();
              List<String> header =
                  new ArrayList<>(
                      List.of(
                          "compute_plan_key",
                          "compute_plan_name",
                          "compute_plan_tag",
                          "compute_plan_status",
                          "compute_plan_start_date",
                          "compute_plan_end_date"));
              header.addAll(metadata);
              header.addAll(
                  List.of("identifier", "worker", "task_rank", "task_round", "performance"));
              line(csv, header);
              for (Row row : rows) {
                Map<String, Object> planMetadata = ReadModelTable.json(row, "plan_metadata");
                List<String> cells = new ArrayList<>();
                cells.add(row.getUUID("plan_key").toString());
                cells.add(row.getString("plan_name"));
                cells.add(row.getString("plan_tag"));
                cells.add(row.getString("plan_status"));
                cells.add(text(Dates.format(row.getOffsetDateTime("plan_start"))));
                cells.add(text(Dates.format(row.getOffsetDateTime("plan_end"))));
                metadata.forEach(name -> cells.add(text(planMetadata.get(name))));
                cells.add(row.getString("identifier"));
                cells.add(row.getString("worker"));
                cells.add(text(row.getInteger("rank")));
                cells.add(text(row.getString("round")));
                cells.add(text(row.getDouble("performance_value")));
                line(csv, cells);
              }
              return csv.toString();
            });
  }

  private record Query(String from, List<Object> params) {}

  private Query query(String channel, Listing listing) {
    ReadModelTable.Filter planFilter = plans.filter(channel, listing);
    List<Object> params = new ArrayList<>(planFilter.params());
    StringBuilder from =
        new StringBuilder(
                "FROM read_model.performances p"
                    + " JOIN read_model.compute_tasks t ON t.key = p.compute_task_key"
                    + " JOIN read_model.compute_plans cp ON cp.key = t.compute_plan_key"
                    + " WHERE cp.key IN (SELECT key FROM read_model.compute_plans WHERE ")
            .append(planFilter.sql())
            .append(")");
    List<String> identifiers = listing.in("identifier");
    if (identifiers != null) {
      params.add(identifiers.toArray(String[]::new));
      from.append(" AND p.compute_task_output_identifier = ANY($")
          .append(params.size())
          .append(")");
    }
    return new Query(from.toString(), params);
  }

  private static Map<String, Object> item(Row row) {
    Map<String, Object> item = new LinkedHashMap<>();
    item.put("compute_plan_key", row.getUUID("plan_key").toString());
    item.put("compute_plan_name", row.getString("plan_name"));
    item.put("compute_plan_tag", row.getString("plan_tag"));
    item.put("compute_plan_status", row.getString("plan_status"));
    item.put("compute_plan_start_date", Dates.format(row.getOffsetDateTime("plan_start")));
    item.put("compute_plan_end_date", Dates.format(row.getOffsetDateTime("plan_end")));
    item.put("compute_plan_metadata", ReadModelTable.json(row, "plan_metadata"));
    item.put("worker", row.getString("worker"));
    item.put("task_rank", row.getInteger("rank"));
    item.put("task_round", row.getString("round"));
    item.put("identifier", row.getString("identifier"));
    item.put("performance", row.getDouble("performance_value"));
    return item;
  }

  private static String text(Object value) {
    return value == null ? "" : value.toString();
  }

  /** One CSV record (RFC 4180 quoting). */
  private static void line(StringBuilder csv, List<String> cells) {
    for (int i = 0; i < cells.size(); i++) {
      String cell = cells.get(i) == null ? "" : cells.get(i);
      if (i > 0) {
        csv.append(',');
      }
      if (cell.contains(",") || cell.contains("\"") || cell.contains("\n")) {
        csv.append('"').append(cell.replace("\"", "\"\"")).append('"');
      } else {
        csv.append(cell);
      }
    }
    csv.append("\r\n");
  }
}
