package org.substra.node.compute.storage;

import java.io.IOException;
import java.nio.file.Path;
import org.substra.node.orchestrator.protocol.DataManager;
import org.substra.node.orchestrator.protocol.DataSample;
import org.substra.node.orchestrator.protocol.Function;
import org.substra.node.orchestrator.protocol.Model;

/**
 * Where the files of an input asset come from. This organization's assets are read from its own
 * object storage ({@link OwnAssetSource}); the assets of other organizations come over HTTP from
 * their nodes with org-link credentials, a later implementation of this same interface.
 */
public interface AssetSource {

  /** The function archive (zip or tar), as a file. */
  void functionArchive(Function function, Path destination) throws IOException;

  /** The opener module of a data manager, as a file. */
  void opener(DataManager dataManager, Path destination) throws IOException;

  /** A model, as a file. */
  void model(Model model, Path destination) throws IOException;

  /** A data sample, as the directory {@code destination} (created). */
  void dataSample(DataSample sample, Path destination) throws IOException;
}
