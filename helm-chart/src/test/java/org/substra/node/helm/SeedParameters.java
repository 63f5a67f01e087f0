package org.substra.node.helm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The parameters of the Substra backend chart 16.0.2: key and default, in table order. */
final class SeedParameters {

  private static final Pattern TABLE_ROW =
      Pattern.compile("^\\|\\s*`([^`]+)`\\s*\\|.*\\|\\s*`(.*)`\\s*\\|\\s*$");

  private SeedParameters() {}

  /** The copy kept with the tests (src/test/resources/seed-parameters.tsv). */
  static Map<String, String> fixture() {
    Map<String, String> rows = new LinkedHashMap<>();
    for (String line : lines(Path.of("src/test/resources/seed-parameters.tsv"))) {
      if (!line.isBlank() && !line.startsWith("#")) {
        String[] parts = line.split("\t", 2);
        rows.put(parts[0], parts[1]);
      }
    }
    return rows;
  }

  /** The rows of the seed chart README's parameter tables. */
  static Map<String, String> fromReadme(Path readme) {
    Map<String, String> rows = new LinkedHashMap<>();
    for (String line : lines(readme)) {
      Matcher row = TABLE_ROW.matcher(line);
      if (row.matches()) {
        rows.put(row.group(1), row.group(2));
      }
    }
    return rows;
  }

  private static java.util.List<String> lines(Path file) {
    try {
      return Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
