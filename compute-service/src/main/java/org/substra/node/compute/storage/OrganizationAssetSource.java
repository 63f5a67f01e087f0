package org.substra.node.compute.storage;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Path;
import org.substra.node.compute.config.ComputeConfig;
import org.substra.node.orchestrator.protocol.DataManager;
import org.substra.node.orchestrator.protocol.DataSample;
import org.substra.node.orchestrator.protocol.Function;
import org.substra.node.orchestrator.protocol.Model;

/**
 * The input assets of a task: this organization's from its object storage, the others' from their
 * owners over HTTP ({@link RelayedFiles}). Data samples never leave their organization, so they are
 * always read locally.
 */
@ApplicationScoped
public class OrganizationAssetSource implements AssetSource {

  private final OwnAssetSource own;
  private final RelayedFiles relayed;
  private final String mspId;

  OrganizationAssetSource(OwnAssetSource own, RelayedFiles relayed, ComputeConfig config) {
    this.own = own;
    this.relayed = relayed;
    this.mspId = config.mspId();
  }

  @Override
  public void functionArchive(Function function, Path destination) throws IOException {
    if (mspId.equals(function.getOwner())) {
      own.functionArchive(function, destination);
    } else {
      relayed.fetch(function.getOwner(), "/function/" + function.getKey() + "/file/", destination);
    }
  }

  @Override
  public void opener(DataManager dataManager, Path destination) throws IOException {
    if (mspId.equals(dataManager.getOwner())) {
      own.opener(dataManager, destination);
    } else {
      relayed.fetch(
          dataManager.getOwner(),
          "/data_manager/" + dataManager.getKey() + "/opener/",
          destination);
    }
  }

  @Override
  public void model(Model model, Path destination) throws IOException {
    if (mspId.equals(model.getOwner())) {
      own.model(model, destination);
    } else {
      relayed.fetch(model.getOwner(), "/model/" + model.getKey() + "/file/", destination);
    }
  }

  @Override
  public void dataSample(DataSample sample, Path destination) throws IOException {
    own.dataSample(sample, destination);
  }
}
