package org.substra.node.compute.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.substra.node.compute.storage.AssetSource;
import org.substra.node.orchestrator.protocol.DataManager;
import org.substra.node.orchestrator.protocol.DataSample;
import org.substra.node.orchestrator.protocol.Function;
import org.substra.node.orchestrator.protocol.Model;

/**
 * Serves function archives only, the one {@code archives} gives for each function (the same for
 * all, or one per function name), noting the owner of each function it is asked for.
 */
public record OneArchive(
    java.util.function.Function<Function, byte[]> archives, List<String> fetchedFor)
    implements AssetSource {

  public OneArchive(byte[] archive) {
    this(function -> archive);
  }

  public OneArchive(java.util.function.Function<Function, byte[]> archives) {
    this(archives, new CopyOnWriteArrayList<>());
  }

  @Override
  public void functionArchive(Function function, Path destination) throws IOException {
    fetchedFor.add(function.getOwner());
    Files.createDirectories(destination.getParent());
    Files.write(destination, archives.apply(function));
  }

  @Override
  public void opener(DataManager dataManager, Path destination) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void model(Model model, Path destination) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void dataSample(DataSample sample, Path destination) {
    throw new UnsupportedOperationException();
  }
}
