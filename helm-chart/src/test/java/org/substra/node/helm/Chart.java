package org.substra.node.helm;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/** The chart under test, rendered and linted by the Helm library that helm-java bundles. */
final class Chart {

  static final String RELEASE = "org1";
  static final String NAMESPACE = "org-1";
  static final String FULLNAME = "org1-substra-backend";

  static final Path DIR =
      Path.of(System.getProperty("helm.chart.dir", "../helm/substra-backend"))
          .toAbsolutePath()
          .normalize();

  private Chart() {}

  static Path valuesYaml() {
    return DIR.resolve("values.yaml");
  }

  /** Test resource (values files under src/test/resources/values). */
  static Path testValues(String name) {
    return Path.of("src/test/resources/values").resolve(name).toAbsolutePath();
  }

  static Map<String, Object> defaultValues() {
    return loadYaml(valuesYaml());
  }

  static Manifests render(Path... valuesFiles) {
    return renderChart(DIR, valuesFiles);
  }

  static Manifests renderChart(Path chartDir, Path... valuesFiles) {
    TemplateCommand template =
        new Helm(chartDir.equals(DIR) ? withoutCluster() : chartDir)
            .template()
            .withName(RELEASE)
            .withNamespace(NAMESPACE);
    for (Path file : valuesFiles) {
      template = template.withValuesFile(file);
    }
    return Manifests.parse(template.call());
  }

  /** Renders with values given as a map, written to a temporary values file. */
  static Manifests render(Map<String, Object> values) {
    return renderChart(DIR, values);
  }

  static Manifests renderChart(Path chartDir, Map<String, Object> values) {
    Path file = writeTemp(values);
    try {
      return renderChart(chartDir, file);
    } finally {
      deleteQuietly(file);
    }
  }

  /**
   * Lints the chart as Helm would install it with these values files: helm-java's lint takes no
   * values file, so a copy of the chart gets the merged values as its values.yaml.
   */
  static LintResult lint(Path... valuesFiles) {
    Map<String, Object> values = defaultValues();
    for (Path file : valuesFiles) {
      values = merge(values, loadYaml(file));
    }
    Path copy = copyChart((file, text) -> text);
    try {
      dumpYaml(values, copy.resolve("values.yaml"));
      return new Helm(copy).lint().strict().call();
    } finally {
      deleteRecursively(copy);
    }
  }

  /**
   * The chart as a cluster would see it but `helm template` (through helm-java) does not: hooks are
   * left out of helm-java's output, so this copy renames the hook annotation and they render as
   * plain objects (still annotated, under {@link #HOOK}); and the cluster serves PodSecurityPolicy
   * (Kubernetes < 1.25), which no Helm built against a recent Kubernetes reports.
   */
  static Path copyForOldClusterWithVisibleHooks() {
    return copyChart(
        (file, text) -> {
          String edited = text.replace("helm.sh/hook:", HOOK + ":");
          if (file.endsWith("_helpers.tpl")) {
            edited =
                edited.replace(
                    "(.Capabilities.APIVersions.Has \"policy/v1beta1/PodSecurityPolicy\")", "true");
          }
          return edited;
        });
  }

  /**
   * `helm template` and `helm lint` see no cluster, so `lookup` gives nothing there; helm-java's
   * template asks a cluster anyway (and fails without one). Every copy of the chart therefore has
   * each `(lookup ...)` replaced by that empty answer, and the chart itself is rendered from such a
   * copy, made once.
   */
  private static final Pattern LOOKUP = Pattern.compile("\\(lookup [^()]*\\)");

  private static Path withoutCluster;

  private static synchronized Path withoutCluster() {
    if (withoutCluster == null) {
      withoutCluster = copyChart((file, text) -> text);
      Path copy = withoutCluster;
      Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteRecursively(copy)));
    }
    return withoutCluster;
  }

  /** Where the copy above keeps the hook annotation. */
  static final String HOOK = "test.substra.org/helm-hook";

  /** A temporary copy of the chart, each template file passed through {@code edit}. */
  static Path copyChart(BiFunction<Path, String, String> edit) {
    try {
      Path target = Files.createTempDirectory("substra-backend-chart").resolve("substra-backend");
      try (Stream<Path> files = Files.walk(DIR)) {
        for (Path source : (Iterable<Path>) files::iterator) {
          Path relative = DIR.relativize(source);
          Path destination = target.resolve(relative.toString());
          if (Files.isDirectory(source)) {
            Files.createDirectories(destination);
          } else if (relative.startsWith("templates")) {
            String edited = edit.apply(relative, Files.readString(source));
            Files.writeString(destination, LOOKUP.matcher(edited).replaceAll("(dict)"));
          } else {
            Files.copy(source, destination, StandardCopyOption.REPLACE_EXISTING);
          }
        }
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Helm's merge of a values file over the chart's values: maps merge, everything else replaces.
   */
  @SuppressWarnings("unchecked")
  static Map<String, Object> merge(Map<String, Object> base, Map<String, Object> override) {
    Map<String, Object> result = new LinkedHashMap<>(base);
    override.forEach(
        (key, value) -> {
          Object current = result.get(key);
          if (current instanceof Map && value instanceof Map) {
            result.put(key, merge((Map<String, Object>) current, (Map<String, Object>) value));
          } else {
            result.put(key, value);
          }
        });
    return result;
  }

  static Map<String, Object> loadYaml(Path file) {
    try {
      Map<String, Object> map = new Yaml(new LoaderOptions()).load(Files.readString(file));
      return map == null ? new LinkedHashMap<>() : map;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void dumpYaml(Map<String, Object> values, Path file) {
    DumperOptions options = new DumperOptions();
    options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    try {
      Files.writeString(file, new Yaml(options).dump(values));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path writeTemp(Map<String, Object> values) {
    try {
      Path file = Files.createTempFile("values", ".yaml");
      dumpYaml(values, file);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // a temporary file; the OS cleans up what is left
    }
  }

  static void deleteRecursively(Path dir) {
    try (Stream<Path> files = Files.walk(dir.getParent())) {
      List<Path> all = new ArrayList<>(files.toList());
      java.util.Collections.reverse(all);
      for (Path path : all) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
