package org.substra.node.compute.staging;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The {@code @arguments.txt} file of substra-tools 1.0 (worker-spec §2.6): argparse "fromfile"
 * lines, JSON with Python's separators. substra-tools turns every backslash into a slash before
 * parsing, so no escape sequence may appear: values that would need one are refused.
 */
public final class ArgumentsFile {

  private ArgumentsFile() {}

  /** One element of {@code --inputs} or {@code --outputs}. */
  public record Resource(String id, String value, boolean multiple) {}

  /** An identifier or path substra-tools could not read back. */
  public static final class UnsafeValue extends IllegalArgumentException {
    UnsafeValue(String value) {
      super("cannot pass " + value + " to the function: it would need a JSON escape");
    }
  }

  public static String render(int rank, List<Resource> inputs, List<Resource> outputs) {
    return "--task-properties\n"
        + "{\"rank\": "
        + rank
        + "}\n"
        + "--inputs\n"
        + json(inputs)
        + "\n"
        + "--outputs\n"
        + json(outputs)
        + "\n";
  }

  public static void write(Path file, int rank, List<Resource> inputs, List<Resource> outputs)
      throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, render(rank, inputs, outputs), StandardCharsets.UTF_8);
  }

  private static String json(List<Resource> resources) {
    StringBuilder out = new StringBuilder("[");
    for (int i = 0; i < resources.size(); i++) {
      Resource resource = resources.get(i);
      if (i > 0) {
        out.append(", ");
      }
      out.append("{\"id\": \"")
          .append(safe(resource.id()))
          .append("\", \"value\": \"")
          .append(safe(resource.value()))
          .append("\", \"multiple\": ")
          .append(resource.multiple())
          .append('}');
    }
    return out.append(']').toString();
  }

  static String safe(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '"' || c == '\\' || c < 0x20 || c > 0x7e) {
        throw new UnsafeValue(value);
      }
    }
    return value;
  }
}
