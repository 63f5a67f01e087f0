package org.substra.node.helm;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/** The objects of one `helm template` output, with the look-ups the tests need. */
final class Manifests {

  private final String text;
  private final List<Map<String, Object>> objects;

  private Manifests(String text, List<Map<String, Object>> objects) {
    this.text = text;
    this.objects = objects;
  }

  @SuppressWarnings("unchecked")
  static Manifests parse(String text) {
    List<Map<String, Object>> objects = new ArrayList<>();
    LoaderOptions options = new LoaderOptions();
    // Kubernetes rejects duplicate keys that a lenient parser would silently merge.
    options.setAllowDuplicateKeys(false);
    for (Object document : new Yaml(options).loadAll(text)) {
      if (document instanceof Map) {
        objects.add((Map<String, Object>) document);
      }
    }
    return new Manifests(text, objects);
  }

  String text() {
    return text;
  }

  List<Map<String, Object>> all() {
    return objects;
  }

  List<Map<String, Object>> ofKind(String kind) {
    return objects.stream().filter(o -> kind.equals(o.get("kind"))).toList();
  }

  Optional<Map<String, Object>> find(String kind, String name) {
    return ofKind(kind).stream().filter(o -> name.equals(get(o, "metadata.name"))).findFirst();
  }

  Map<String, Object> get(String kind, String name) {
    return find(kind, name)
        .orElseThrow(
            () -> new AssertionError("no " + kind + " named " + name + " in:\n" + names()));
  }

  List<String> names() {
    return objects.stream().map(o -> o.get("kind") + "/" + get(o, "metadata.name")).toList();
  }

  /** Workloads (Deployments and StatefulSets) of the parent chart, by component name suffix. */
  Map<String, Object> workload(String component) {
    String name = Chart.FULLNAME + "-" + component;
    return find("Deployment", name)
        .or(() -> find("StatefulSet", name))
        .orElseThrow(() -> new AssertionError("no workload " + name + " in:\n" + names()));
  }

  static Map<String, Object> podSpec(Map<String, Object> workload) {
    return map(workload, "spec.template.spec");
  }

  /** The first (main) container of a workload. */
  static Map<String, Object> container(Map<String, Object> workload) {
    return list(podSpec(workload), "containers").get(0);
  }

  static Optional<Map<String, Object>> initContainer(Map<String, Object> workload, String name) {
    List<Map<String, Object>> inits = list(podSpec(workload), "initContainers");
    return inits.stream().filter(c -> name.equals(c.get("name"))).findFirst();
  }

  /** Value of a plain environment variable of the main container, if set. */
  static Optional<String> env(Map<String, Object> workload, String name) {
    return list(container(workload), "env").stream()
        .filter(e -> name.equals(e.get("name")) && e.containsKey("value"))
        .map(e -> Objects.toString(e.get("value")))
        .findFirst();
  }

  /** An environment variable of a workload's main container, whatever its source. */
  static Optional<Map<String, Object>> envEntry(Map<String, Object> workload, String name) {
    return list(container(workload), "env").stream()
        .filter(e -> name.equals(e.get("name")))
        .findFirst();
  }

  /** A ConfigMap's data. */
  Map<String, Object> configMapData(String suffix) {
    return map(get("ConfigMap", Chart.FULLNAME + "-" + suffix), "data");
  }

  /** A Secret's values, decoded. */
  Map<String, String> secretData(String suffix) {
    Map<String, Object> secret = get("Secret", Chart.FULLNAME + "-" + suffix);
    Map<String, String> values = new LinkedHashMap<>();
    map(secret, "data")
        .forEach(
            (k, v) -> values.put(k, new String(Base64.getDecoder().decode(String.valueOf(v)))));
    map(secret, "stringData").forEach((k, v) -> values.put(k, String.valueOf(v)));
    return values;
  }

  /** Dotted path look-up through maps; null when a step is missing. */
  @SuppressWarnings("unchecked")
  static Object get(Map<String, Object> object, String path) {
    Object current = object;
    for (String step : path.split("\\.")) {
      if (!(current instanceof Map)) {
        return null;
      }
      current = ((Map<String, Object>) current).get(step);
    }
    return current;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Map<String, Object> object, String path) {
    Object value = get(object, path);
    return value instanceof Map ? (Map<String, Object>) value : Map.of();
  }

  /** A list of scalars (container args, for instance) as strings. */
  static List<String> strings(Map<String, Object> object, String path) {
    Object value = get(object, path);
    return value instanceof List<?> items
        ? items.stream().map(String::valueOf).toList()
        : List.of();
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> list(Map<String, Object> object, String path) {
    Object value = get(object, path);
    return value instanceof List ? (List<Map<String, Object>>) value : List.of();
  }
}
