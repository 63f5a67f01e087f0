package org.substra.node.compute.staging;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.substra.node.compute.config.ComputeConfig;

/**
 * One copy per replica of the inputs tasks read (worker-spec §2.4, the "asset buffer"): tasks get
 * hard links, so evicting an entry never disturbs a running task. An entry is fetched into a
 * temporary name, checked, then renamed: a half-fetched asset is never visible. Least recently used
 * entries go once the cache exceeds its size.
 */
@ApplicationScoped
public class AssetCache {

  public enum Kind {
    DATA_SAMPLES("data_samples"),
    MODELS("models"),
    OPENERS("openers");

    final String folder;

    Kind(String folder) {
      this.folder = folder;
    }
  }

  /** Fetches an asset into {@code destination} (a file or a directory, not yet existing). */
  @FunctionalInterface
  public interface Fetch {
    void into(Path destination) throws IOException;
  }

  /** Checks a fetched asset; throws when it is not the registered one. */
  @FunctionalInterface
  public interface Check {
    void verify(Path fetched) throws IOException;
  }

  private final Path root;
  private final long maxBytes;
  private final Object evictionLock = new Object();

  AssetCache(ComputeConfig config) {
    this.root = config.workDir().resolve("asset_buffer");
    this.maxBytes = config.local().cacheMegabytes() * 1024 * 1024;
  }

  public Path root() {
    return root;
  }

  /** The cached entry of {@code key}, fetched and checked first if absent. */
  public Path get(Kind kind, String key, Fetch fetch, Check check) throws IOException {
    Path entry = root.resolve(kind.folder).resolve(key);
    String lockKey = kind.folder + "/" + key;
    synchronized (lockFor(lockKey)) {
      if (Files.exists(entry)) {
        Files.setLastModifiedTime(entry, FileTime.fromMillis(System.currentTimeMillis()));
        return entry;
      }
      Files.createDirectories(entry.getParent());
      Path partial = entry.resolveSibling(key + ".partial-" + System.nanoTime());
      try {
        fetch.into(partial);
        check.verify(partial);
        Files.move(partial, entry, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        deleteTree(partial);
      }
    }
    evict();
    return entry;
  }

  /** Puts a file produced here (an output model) into the cache, by rename. */
  public void adopt(Kind kind, String key, Path file) throws IOException {
    Path entry = root.resolve(kind.folder).resolve(key);
    Files.createDirectories(entry.getParent());
    Files.move(file, entry, StandardCopyOption.REPLACE_EXISTING);
    evict();
  }

  public void remove(Kind kind, String key) throws IOException {
    deleteTree(root.resolve(kind.folder).resolve(key));
  }

  private final ConcurrentHashMap<String, Object> locks = new ConcurrentHashMap<>();

  private Object lockFor(String key) {
    return locks.computeIfAbsent(key, k -> new Object());
  }

  private void evict() throws IOException {
    synchronized (evictionLock) {
      List<Path> entries = new ArrayList<>();
      for (Kind kind : Kind.values()) {
        Path folder = root.resolve(kind.folder);
        if (Files.isDirectory(folder)) {
          try (Stream<Path> list = Files.list(folder)) {
            list.filter(p -> !p.getFileName().toString().contains(".partial-"))
                .forEach(entries::add);
          }
        }
      }
      long total = 0;
      List<long[]> sizes = new ArrayList<>();
      for (Path entry : entries) {
        long size = size(entry);
        total += size;
        sizes.add(new long[] {size});
      }
      if (total <= maxBytes) {
        return;
      }
      List<Integer> order = new ArrayList<>();
      for (int i = 0; i < entries.size(); i++) {
        order.add(i);
      }
      List<FileTime> times = new ArrayList<>();
      for (Path entry : entries) {
        times.add(Files.getLastModifiedTime(entry));
      }
      order.sort(Comparator.comparing(times::get));
      for (int i : order) {
        if (total <= maxBytes) {
          break;
        }
        deleteTree(entries.get(i));
        total -= sizes.get(i)[0];
      }
    }
  }

  private static long size(Path entry) throws IOException {
    try (Stream<Path> files = Files.walk(entry)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }

  public static void deleteTree(Path path) throws IOException {
    if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> files = Files.walk(path)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(file);
      }
    }
  }

  /** Hard-links {@code source} (a file, or a directory's files) at {@code target}. */
  public static void link(Path source, Path target) throws IOException {
    mirror(source, target, true);
  }

  /** Copies {@code source} (a file, or a directory's files) to {@code target}. */
  public static void copy(Path source, Path target) throws IOException {
    mirror(source, target, false);
  }

  private static void mirror(Path source, Path target, boolean link) throws IOException {
    if (Files.isDirectory(source)) {
      try (Stream<Path> files = Files.walk(source)) {
        for (Path file : (Iterable<Path>) files::iterator) {
          Path linked = target.resolve(source.relativize(file).toString());
          if (Files.isDirectory(file)) {
            Files.createDirectories(linked);
          } else if (link) {
            Files.createLink(linked, file);
          } else {
            Files.copy(file, linked, LinkOption.NOFOLLOW_LINKS);
          }
        }
      }
    } else {
      Files.createDirectories(target.getParent());
      if (link) {
        Files.createLink(target, source);
      } else {
        Files.copy(source, target, LinkOption.NOFOLLOW_LINKS);
      }
    }
  }
}
