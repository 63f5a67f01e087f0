package org.substra.node.api.listing;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A page of a query that is not one read-model table (a join, a union): the count and the page go
 * at once, as {@link ReadModelTable#page} does for tables.
 */
public final class QueryPage {

  private QueryPage() {}

  /**
   * {@code SELECT columns from ORDER BY order LIMIT OFFSET}, where {@code from} holds the FROM and
   * WHERE clauses with {@code $n} placeholders for {@code params}.
   */
  public static Uni<Map<String, Object>> of(
      Pool pool,
      String columns,
      String from,
      List<Object> params,
      String order,
      Listing listing,
      Function<Row, Map<String, Object>> view) {
    Uni<Long> counted =
        pool.preparedQuery("SELECT count(*) " + from)
            .execute(Tuple.tuple(params))
            .map(rows -> rows.iterator().next().getLong(0));
    List<Object> paged = new ArrayList<>(params);
    paged.add(listing.limit());
    paged.add(listing.offset());
    Uni<List<Map<String, Object>>> items =
        pool.preparedQuery(
                "SELECT "
                    + columns
                    + " "
                    + from
                    + " ORDER BY "
                    + order
                    + " LIMIT $"
                    + (paged.size() - 1)
                    + " OFFSET $"
                    + paged.size())
            .execute(Tuple.tuple(paged))
            .map(
                rows -> {
                  List<Map<String, Object>> results = new ArrayList<>();
                  rows.forEach(row -> results.add(view.apply(row)));
                  return results;
                });
    return Uni.combine().all().unis(counted, items).with(listing::envelope);
  }
}
