package org.substra.node.orchestrator.storage;

import io.grpc.Status;
import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Offset paging of the Query rpcs (spec §2.6): the token is a decimal offset, size 0 means 50, one
 * row more than the page is fetched to know whether a next page exists.
 */
public record Page(long offset, int size) {

  private static final int DEFAULT_SIZE = 50;

  public static Page of(String token, int size) {
    long offset;
    if (token.isEmpty()) {
      offset = 0;
    } else {
      try {
        offset = Long.parseLong(token);
      } catch (NumberFormatException e) {
        offset = -1;
      }
      if (offset < 0) {
        throw Status.UNKNOWN
            .withDescription("invalid page token \"" + token + "\": must be a decimal offset")
            .asRuntimeException();
      }
    }
    return new Page(offset, size <= 0 ? DEFAULT_SIZE : size);
  }

  /**
   * Serves a Query rpc: parses the paging fields, runs {@code query} for the page and answers the
   * page's items with the next page token.
   */
  public static <T, R> Uni<R> serve(
      String token,
      int size,
      Function<Page, Uni<List<T>>> query,
      BiFunction<List<T>, String, R> response) {
    return Uni.createFrom()
        .item(() -> of(token, size))
        .flatMap(
            page ->
                query
                    .apply(page)
                    .map(found -> response.apply(page.items(found), page.nextToken(found))));
  }

  public int fetchSize() {
    return size + 1;
  }

  public <T> List<T> items(List<T> fetched) {
    return fetched.size() > size ? fetched.subList(0, size) : fetched;
  }

  public String nextToken(List<?> fetched) {
    return fetched.size() > size ? String.valueOf(offset + size) : "";
  }
}
