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
 * A page of a query, for a read-model table ({@link ReadModelTable#page}) as for a join or a union:
 * the count and the page go at once, on two connections, except for {@code page=last}, whose offset
 * depends on the count.
 */
public final class QueryPage {

  private QueryPage() {}

  /** The count of all matching rows and the rows of the page. */
  public record Page(long count, List<Row> rows) {}

  /**
   * {@code SELECT columns from ORDER BY order LIMIT OFFSET}, where {@code from} holds the FROM and
   * WHERE clauses with {@code $n} placeholders for {@code params}; the paginated envelope of the
   * rows turned into JSON.
   */
  public static Uni<Map<String, Object>> of(
      Pool pool,
      String columns,
      String from,
      List<Object> params,
      String order,
      Listing listing,
      Function<Row, Map<String, Object>> view) {
    return rows(pool, columns, from, params, order, listing)
        .map(
            page -> {
              List<Map<String, Object>> results = new ArrayList<>(page.rows().size());
              page.rows().forEach(row -> results.add(view.apply(row)));
              return listing.envelope(page.count(), results);
            });
  }

  /** The same query, its rows left as they are (for views that need more queries). */
  public static Uni<Page> rows(
      Pool pool, String columns, String from, List<Object> params, String order, Listing listing) {
    Uni<Long> counted =
        pool.preparedQuery("SELECT count(*) " + from)
            .execute(Tuple.tuple(params))
            .map(rows -> rows.iterator().next().getLong(0));
    if (listing.lastPage()) {
      return counted.flatMap(
          count -> {
            listing.count(count);
            return pageRows(pool, columns, from, params, order, listing)
                .map(rows -> new Page(count, rows));
          });
    }
    return Uni.combine()
        .all()
        .unis(counted, pageRows(pool, columns, from, params, order, listing))
        .with(Page::new);
  }

  private static Uni<List<Row>> pageRows(
      Pool pool, String columns, String from, List<Object> params, String order, Listing listing) {
    List<Object> paged = new ArrayList<>(params);
    paged.add(listing.limit());
    paged.add(listing.offset());
    return pool.preparedQuery(
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
              List<Row> list = new ArrayList<>();
              rows.forEach(list::add);
              return list;
            });
  }
}
