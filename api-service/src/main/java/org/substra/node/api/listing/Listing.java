package org.substra.node.api.listing;

import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.substra.node.api.error.ApiException;

/**
 * The list conventions of the REST API (spec §1.4, §1.5): page-number pagination with absolute
 * next/previous links, "in" filters, free-text {@code match}, ordering over an allow-list. Repeated
 * query parameters are tolerated (the SDK repeats them when following {@code next}); the last wins.
 */
public final class Listing {

  private static final int MAX_PAGE_SIZE = 10_000;

  private final UriInfo uri;
  private final MultivaluedMap<String, String> query;
  private int page;
  private final int size;

  public Listing(UriInfo uri, int defaultSize) {
    this.uri = uri;
    this.query = uri.getQueryParameters();
    this.size = pageSize(last("page_size"), defaultSize);
    this.page = pageNumber(last("page"));
  }

  public String last(String name) {
    List<String> values = query.get(name);
    return values == null || values.isEmpty() ? null : values.get(values.size() - 1);
  }

  /** The comma-separated values of an "in" filter, or null when absent. */
  public List<String> in(String name) {
    String value = last(name);
    if (value == null || value.isEmpty()) {
      return null;
    }
    List<String> values = new ArrayList<>();
    for (String part : value.split(",")) {
      if (!part.isEmpty()) {
        values.add(part);
      }
    }
    return values;
  }

  /** An "in" filter of uuids; a malformed one is a 400 naming it, as a form field error. */
  public UUID[] uuids(String name) {
    List<String> values = in(name);
    if (values == null) {
      return null;
    }
    UUID[] uuids = new UUID[values.size()];
    for (int i = 0; i < uuids.length; i++) {
      uuids[i] = uuid(name, values.get(i));
    }
    return uuids;
  }

  /** A single-value uuid filter: a comma list is not split, so it is not a uuid either. */
  public UUID uuid(String name) {
    String value = last(name);
    return value == null || value.isEmpty() ? null : uuid(name, value);
  }

  private static UUID uuid(String name, String value) {
    try {
      UUID uuid = UUID.fromString(value);
      // UUID.fromString accepts short groups ("1-1-1-1-1"): only the canonical text is a key.
      if (uuid.toString().equalsIgnoreCase(value)) {
        return uuid;
      }
    } catch (IllegalArgumentException e) {
      // answered below
    }
    throw ApiException.field(400, name, "“" + value + "” is not a valid UUID.");
  }

  /** An "in" filter over an enumeration: an unknown value is a 400, as in the reference. */
  public String[] choices(String name, Set<String> allowed) {
    List<String> values = in(name);
    if (values == null) {
      return null;
    }
    for (String value : values) {
      if (!allowed.contains(value)) {
        throw ApiException.field(
            400, name, "Select a valid choice. " + value + " is not one of the available choices.");
      }
    }
    return values.toArray(String[]::new);
  }

  /** An "in" filter of whole numbers. */
  public Integer[] integers(String name) {
    List<String> values = in(name);
    if (values == null) {
      return null;
    }
    try {
      return values.stream().map(Integer::valueOf).toArray(Integer[]::new);
    } catch (NumberFormatException e) {
      throw ApiException.field(400, name, "Enter a whole number.");
    }
  }

  /** A number of seconds ({@code duration_min}); a value that is not one is a 400. */
  public Double seconds(String name) {
    String value = last(name);
    if (value == null || value.isEmpty()) {
      return null;
    }
    try {
      double seconds = Double.parseDouble(value);
      if (Double.isFinite(seconds)) {
        return seconds;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw ApiException.field(400, name, "Enter a number.");
  }

  public OffsetDateTime date(String name) {
    String value = last(name);
    if (value == null || value.isEmpty()) {
      return null;
    }
    try {
      return OffsetDateTime.parse(value.replace(' ', '+'));
    } catch (DateTimeParseException e) {
      throw ApiException.field(400, name, "Enter a valid date/time.");
    }
  }

  /** The match terms: split on whitespace and commas, quoted phrases kept together. */
  public List<String> matchTerms() {
    String value = last("match");
    List<String> terms = new ArrayList<>();
    if (value == null) {
      return terms;
    }
    StringBuilder term = new StringBuilder();
    boolean quoted = false;
    for (char c : value.toCharArray()) {
      if (c == '"') {
        quoted = !quoted;
      } else if (!quoted && (Character.isWhitespace(c) || c == ',')) {
        if (!term.isEmpty()) {
          terms.add(term.toString());
          term.setLength(0);
        }
      } else {
        term.append(c);
      }
    }
    if (!term.isEmpty()) {
      terms.add(term.toString());
    }
    return terms;
  }

  /**
   * SQL ORDER BY for {@code ordering} over {@code allowed} (parameter name → column), unknown names
   * dropped, {@code fallback} when none remains; the key always ends it so pages are stable.
   */
  public String orderBy(Map<String, String> allowed, String fallback, String key) {
    return orderBy(allowed::get, fallback, key);
  }

  /** As above, with the column of a parameter name computed (null: not allowed). */
  public String orderBy(Function<String, String> allowed, String fallback, String key) {
    List<String> parts = new ArrayList<>();
    String ordering = last("ordering");
    if (ordering != null) {
      for (String field : ordering.split(",")) {
        boolean descending = field.startsWith("-");
        String column = allowed.apply(descending ? field.substring(1) : field);
        if (column != null) {
          parts.add(column + (descending ? " DESC NULLS FIRST" : " ASC NULLS LAST"));
        }
      }
    }
    if (parts.isEmpty()) {
      parts.add(fallback);
    }
    parts.add(key);
    return String.join(", ", parts);
  }

  /** {@code page=last}: the page is known once the count is. */
  public boolean lastPage() {
    return page == Integer.MAX_VALUE;
  }

  /** Fixes the page once the count is known ({@code page=last}). */
  public void count(long count) {
    if (page == Integer.MAX_VALUE) {
      page = (int) Math.max(1, (count + size - 1) / size);
    }
  }

  public int limit() {
    return size;
  }

  public long offset() {
    return (long) (page - 1) * size;
  }

  /** The paginated envelope; a page beyond the last is a 404, as in the reference. */
  public Map<String, Object> envelope(long count, List<?> results) {
    long pages = Math.max(1, (count + size - 1) / size);
    if (page > pages) {
      throw ApiException.detail(404, "Invalid page.");
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("count", count);
    body.put("next", page < pages ? link(page + 1) : null);
    body.put("previous", page > 1 ? link(page - 1) : null);
    body.put("results", results);
    return body;
  }

  /**
   * The request's URL with {@code page} replaced. The query is kept as the client encoded it: a
   * UriBuilder would encode its escapes again ({@code %2C} → {@code %252C}) and the next page would
   * carry other filter values.
   */
  private String link(int target) {
    URI request = uri.getRequestUri();
    List<String> parameters = new ArrayList<>();
    String query = request.getRawQuery();
    if (query != null) {
      for (String parameter : query.split("&")) {
        if (!parameter.isEmpty() && !parameter.equals("page") && !parameter.startsWith("page=")) {
          parameters.add(parameter);
        }
      }
    }
    if (target > 1) {
      parameters.add("page=" + target);
    }
    String base = request.toString();
    int question = base.indexOf('?');
    if (question >= 0) {
      base = base.substring(0, question);
    }
    return parameters.isEmpty() ? base : base + "?" + String.join("&", parameters);
  }

  /** The public base URL as the client reached this node (addresses must be absolute, §1.3). */
  public static String base(UriInfo uri) {
    String base = uri.getBaseUri().toString();
    return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
  }

  private static int pageSize(String value, int fallback) {
    try {
      int size = Integer.parseInt(value);
      return size <= 0 ? fallback : Math.min(size, MAX_PAGE_SIZE);
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  private int pageNumber(String value) {
    if (value == null || value.equals("1")) {
      return 1;
    }
    try {
      int number = Integer.parseInt(value);
      if (number < 1) {
        throw ApiException.detail(404, "Invalid page.");
      }
      return number;
    } catch (NumberFormatException e) {
      if ("last".equals(value)) {
        return Integer.MAX_VALUE;
      }
      throw ApiException.detail(404, "Invalid page.");
    }
  }
}
