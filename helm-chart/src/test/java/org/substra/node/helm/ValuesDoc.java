package org.substra.node.helm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The documentation lines of values.yaml ({@code ## @section} and {@code ## @param KEY TEXT}) and
 * the README tables they generate, with values formatted the way the Substra chart's README shows
 * them.
 */
final class ValuesDoc {

  record Param(String section, String key, String description) {}

  static final String README_START = "<!-- parameters:start -->";
  static final String README_END = "<!-- parameters:end -->";

  private static final Pattern SECTION = Pattern.compile("^\\s*## @section (.+)$");
  private static final Pattern PARAM = Pattern.compile("^\\s*## @param (\\S+) (.+)$");
  private static final Pattern INDEXED = Pattern.compile("^(.+)\\[(\\d+)]$");

  private ValuesDoc() {}

  static List<Param> params(Path valuesYaml) {
    List<Param> params = new ArrayList<>();
    String section = "";
    try {
      for (String line : Files.readAllLines(valuesYaml)) {
        Matcher s = SECTION.matcher(line);
        Matcher p = PARAM.matcher(line);
        if (s.matches()) {
          section = s.group(1).trim();
        } else if (p.matches()) {
          params.add(new Param(section, p.group(1), p.group(2).trim()));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return params;
  }

  /** Whether a dotted key (with {@code [i]} list steps) exists in the values. */
  static boolean has(Map<String, Object> values, String key) {
    return lookup(values, key) != MISSING;
  }

  static Object valueAt(Map<String, Object> values, String key) {
    Object value = lookup(values, key);
    if (value == MISSING) {
      throw new IllegalArgumentException("no value " + key);
    }
    return value;
  }

  private static final Object MISSING = new Object();

  @SuppressWarnings("unchecked")
  private static Object lookup(Map<String, Object> values, String key) {
    Object current = values;
    for (String step : key.split("\\.")) {
      Matcher indexed = INDEXED.matcher(step);
      String name = indexed.matches() ? indexed.group(1) : step;
      if (!(current instanceof Map) || !((Map<String, Object>) current).containsKey(name)) {
        return MISSING;
      }
      current = ((Map<String, Object>) current).get(name);
      if (indexed.matches()) {
        int index = Integer.parseInt(indexed.group(2));
        if (!(current instanceof List) || ((List<Object>) current).size() <= index) {
          return MISSING;
        }
        current = ((List<Object>) current).get(index);
      }
    }
    return current;
  }

  /** A value as the README's Value column shows it (without the back-quotes). */
  static String format(Object value) {
    if (value == null) {
      return "nil";
    }
    if (value instanceof String text) {
      return text.isEmpty() ? "\"\"" : text;
    }
    if (value instanceof Map<?, ?> map && map.isEmpty()) {
      return "{}";
    }
    if (value instanceof List<?> list && list.isEmpty()) {
      return "[]";
    }
    return String.valueOf(value);
  }

  /** Sets a dotted key (with {@code [i]} list steps) in a deep copy of the values. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> with(Map<String, Object> values, String key, Object value) {
    Map<String, Object> copy = (Map<String, Object>) deepCopy(values);
    Object current = copy;
    String[] steps = key.split("\\.");
    for (int i = 0; i < steps.length; i++) {
      Matcher indexed = INDEXED.matcher(steps[i]);
      String name = indexed.matches() ? indexed.group(1) : steps[i];
      Map<String, Object> map = (Map<String, Object>) current;
      boolean last = i == steps.length - 1;
      if (indexed.matches()) {
        List<Object> list = (List<Object>) map.get(name);
        int index = Integer.parseInt(indexed.group(2));
        if (last) {
          list.set(index, value);
        } else {
          current = list.get(index);
        }
      } else if (last) {
        map.put(name, value);
      } else {
        current = map.computeIfAbsent(name, k -> new LinkedHashMap<String, Object>());
      }
    }
    return copy;
  }

  @SuppressWarnings("unchecked")
  static Object deepCopy(Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      map.forEach((k, v) -> copy.put((String) k, deepCopy(v)));
      return copy;
    }
    if (value instanceof List<?> list) {
      List<Object> copy = new ArrayList<>();
      list.forEach(v -> copy.add(deepCopy(v)));
      return copy;
    }
    return value;
  }

  /**
   * The parameter tables of the README, one per section, in values.yaml order; keys the Substra
   * chart did not have are marked "(added)".
   */
  static String readmeTables(Path valuesYaml, java.util.Set<String> seedKeys) {
    Map<String, Object> values = Chart.loadYaml(valuesYaml);
    Map<String, List<Param>> bySection =
        params(valuesYaml).stream()
            .collect(
                Collectors.groupingBy(Param::section, LinkedHashMap::new, Collectors.toList()));
    StringBuilder out = new StringBuilder();
    bySection.forEach(
        (section, params) -> {
          out.append("### ").append(section).append("\n\n");
          out.append("| Name | Description | Value |\n");
          out.append("| --- | --- | --- |\n");
          for (Param param : params) {
            out.append("| `")
                .append(param.key())
                .append("` | ")
                .append(param.description().replace("|", "\\|"))
                .append(seedKeys.contains(param.key()) ? "" : " (added)")
                .append(" | `")
                .append(format(valueAt(values, param.key())))
                .append("` |\n");
          }
          out.append("\n");
        });
    return out.toString().stripTrailing() + "\n";
  }
}
