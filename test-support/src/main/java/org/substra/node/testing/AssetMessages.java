package org.substra.node.testing;

import java.util.UUID;
import org.substra.node.orchestrator.protocol.Addressable;
import org.substra.node.orchestrator.protocol.AssetKind;
import org.substra.node.orchestrator.protocol.ComputeTaskInput;
import org.substra.node.orchestrator.protocol.FunctionInput;
import org.substra.node.orchestrator.protocol.FunctionOutput;
import org.substra.node.orchestrator.protocol.NewPermissions;
import org.substra.node.orchestrator.protocol.ParentTaskOutputRef;

/** The parts of the messages that register assets in the orchestrator, as the tests build them. */
public final class AssetMessages {

  public static final NewPermissions PUBLIC = NewPermissions.newBuilder().setPublic(true).build();

  private AssetMessages() {}

  /** A new asset key. */
  public static String key() {
    return UUID.randomUUID().toString();
  }

  /** Where org-1's backend would serve the {@code kind} file of asset {@code key}. */
  public static Addressable address(String kind, String key) {
    return Addressable.newBuilder()
        .setChecksum("a".repeat(64))
        .setStorageAddress("http://backend-org-1.example:8000/" + kind + "/" + key + "/")
        .build();
  }

  public static FunctionInput input(AssetKind kind, boolean multiple, boolean optional) {
    return FunctionInput.newBuilder()
        .setKind(kind)
        .setMultiple(multiple)
        .setOptional(optional)
        .build();
  }

  public static FunctionOutput output(AssetKind kind) {
    return FunctionOutput.newBuilder().setKind(kind).build();
  }

  /** A task input naming an asset (an opener, a data sample, a model) by its key. */
  public static ComputeTaskInput assetInput(String identifier, String assetKey) {
    return ComputeTaskInput.newBuilder().setIdentifier(identifier).setAssetKey(assetKey).build();
  }

  /** A task input fed by output {@code output} of task {@code parent}. */
  public static ComputeTaskInput parentInput(String identifier, String parent, String output) {
    return ComputeTaskInput.newBuilder()
        .setIdentifier(identifier)
        .setParentTaskOutput(
            ParentTaskOutputRef.newBuilder().setParentTaskKey(parent).setOutputIdentifier(output))
        .build();
  }
}
