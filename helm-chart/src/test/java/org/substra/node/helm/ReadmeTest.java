package org.substra.node.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The README's parameter tables are generated from values.yaml; values.yaml documents every key and
 * the JSON schema knows every documented key. Run with {@code -Dhelm.readme.update=true} to rewrite
 * the README tables after changing values.yaml.
 */
class ReadmeTest {

  private static final Path README = Chart.DIR.resolve("README.md");

  @Test
  void parameterTablesMatchValuesYaml() throws IOException {
    String readme = Files.readString(README);
    int start = readme.indexOf(ValuesDoc.README_START);
    int end = readme.indexOf(ValuesDoc.README_END);
    assertThat(start).as("README markers").isNotNegative().isLessThan(end);
    String generated =
        ValuesDoc.readmeTables(Chart.valuesYaml(), SeedParameters.fixture().keySet());
    String current = readme.substring(start + ValuesDoc.README_START.length(), end).strip() + "\n";
    if (Boolean.getBoolean("helm.readme.update") && !current.equals(generated)) {
      Files.writeString(
          README,
          readme.substring(0, start + ValuesDoc.README_START.length())
              + "\n\n"
              + generated
              + "\n"
              + readme.substring(end));
      current = generated;
    }
    assertThat(current)
        .as("README tables out of date: run the helm-chart tests with -Dhelm.readme.update=true")
        .isEqualTo(generated);
  }

  @Test
  void everyValueIsDocumented() {
    Set<String> documented =
        ValuesDoc.params(Chart.valuesYaml()).stream()
            .map(ValuesDoc.Param::key)
            .collect(Collectors.toSet());
    List<String> leaves = new ArrayList<>();
    collectLeaves("", Chart.defaultValues(), leaves);
    List<String> undocumented =
        leaves.stream().filter(leaf -> !coveredBy(leaf, documented)).toList();
    assertThat(undocumented).isEmpty();
  }

  @Test
  void everyDocumentedKeyExists() {
    Map<String, Object> values = Chart.defaultValues();
    assertThat(ValuesDoc.params(Chart.valuesYaml()))
        .allSatisfy(p -> assertThat(ValuesDoc.has(values, p.key())).as(p.key()).isTrue());
  }

  @Test
  void schemaDescribesEveryDocumentedKey() throws IOException {
    JsonNode schema = new ObjectMapper().readTree(Chart.DIR.resolve("values.schema.json").toFile());
    List<String> missing = new ArrayList<>();
    for (ValuesDoc.Param param : ValuesDoc.params(Chart.valuesYaml())) {
      JsonNode node = schema;
      for (String step : param.key().split("\\.")) {
        boolean indexed = step.endsWith("]");
        String name = indexed ? step.substring(0, step.indexOf('[')) : step;
        if (node.path("properties").has(name)) {
          node = node.path("properties").path(name);
        } else if (node.path("additionalProperties").isObject()) {
          // a key chosen by the user, such as a channel name
          node = node.path("additionalProperties");
        } else {
          node = node.path("properties").path(name);
        }
        if (indexed) {
          node = node.path("items");
        }
      }
      if (node.isMissingNode() || !node.has("type")) {
        missing.add(param.key());
      }
    }
    assertThat(missing).isEmpty();
  }

  @SuppressWarnings("unchecked")
  private static void collectLeaves(String prefix, Object value, List<String> leaves) {
    if (value instanceof Map<?, ?> map && !map.isEmpty()) {
      ((Map<String, Object>) map)
          .forEach((k, v) -> collectLeaves(prefix.isEmpty() ? k : prefix + "." + k, v, leaves));
    } else if (value instanceof List<?> list && !list.isEmpty()) {
      for (int i = 0; i < list.size(); i++) {
        collectLeaves(prefix + "[" + i + "]", list.get(i), leaves);
      }
    } else {
      leaves.add(prefix);
    }
  }

  private static boolean coveredBy(String leaf, Set<String> documented) {
    String key = leaf;
    while (true) {
      if (documented.contains(key)) {
        return true;
      }
      int cut = Math.max(key.lastIndexOf('.'), key.lastIndexOf('['));
      if (cut < 0) {
        return false;
      }
      key = key.substring(0, cut);
    }
  }
}
