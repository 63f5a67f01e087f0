package org.substra.node.orchestrator.asset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.substra.node.orchestrator.Network.ORG1;
import static org.substra.node.testing.AssetMessages.PUBLIC;
import static org.substra.node.testing.AssetMessages.key;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.substra.node.orchestrator.Network;
import org.substra.node.orchestrator.NetworkTest;
import org.substra.node.orchestrator.protocol.Addressable;
import org.substra.node.orchestrator.protocol.GetComputePlanParam;
import org.substra.node.orchestrator.protocol.GetFunctionParam;
import org.substra.node.orchestrator.protocol.NewComputePlan;
import org.substra.node.orchestrator.protocol.NewDataManager;
import org.substra.node.orchestrator.protocol.PlanQueryFilter;
import org.substra.node.orchestrator.protocol.QueryPlansParam;
import org.substra.node.orchestrator.protocol.UpdateComputePlanParam;
import org.substra.node.testing.Dependency;
import org.substra.node.testing.WithLocalDependencies;

/**
 * Control characters in request texts, through a real gRPC channel: refused before any handler
 * runs, with the field named, and nothing stored or emitted.
 */
@QuarkusTest
@WithLocalDependencies(
    value = {Dependency.POSTGRESQL, Dependency.RABBITMQ},
    database = "orchestrator_test")
class TextFieldTest extends NetworkTest {

  @Test
  void aPlanNamedWithANulByteIsRefusedAndNothingIsStored() {
    String key = key();

    StatusRuntimeException refusal =
        invalid(
            () ->
                network
                    .plans(ORG1)
                    .registerPlan(
                        NewComputePlan.newBuilder().setKey(key).setName("plan\0x").build()));

    assertEquals(
        "OE0101: name: must not contain control characters (U+0000)",
        refusal.getStatus().getDescription());
    assertEquals(
        Status.Code.NOT_FOUND,
        refused(
                () ->
                    network
                        .plans(ORG1)
                        .getPlan(GetComputePlanParam.newBuilder().setKey(key).build()))
            .getStatus()
            .getCode());
    assertEquals(List.of(), network.eventsOf(key));
  }

  @Test
  void updatesTagsMetadataAndNestedAddressesAreCheckedToo() {
    String plan = network.plan(ORG1);
    assertEquals(
        "OE0101: name: must not contain control characters (U+0007)",
        invalid(
                () ->
                    network
                        .plans(ORG1)
                        .updatePlan(
                            UpdateComputePlanParam.newBuilder()
                                .setKey(plan)
                                .setName("bell\u0007")
                                .build()))
            .getStatus()
            .getDescription());
    assertEquals("plan", network.plans(ORG1).getPlan(planKey(plan)).getName());

    assertEquals(
        "OE0101: tag: must not contain control characters (U+001B)",
        invalidDescription(
            () ->
                network
                    .plans(ORG1)
                    .registerPlan(
                        NewComputePlan.newBuilder()
                            .setKey(key())
                            .setName("p")
                            .setTag("\u001b[31m")
                            .build())));
    assertEquals(
        "OE0101: metadata (a key): must not contain control characters (U+0000)",
        invalidDescription(
            () ->
                network
                    .plans(ORG1)
                    .registerPlan(
                        NewComputePlan.newBuilder()
                            .setKey(key())
                            .setName("p")
                            .putMetadata("k\0", "v")
                            .build())));
    assertEquals(
        "OE0101: metadata[k]: must not contain control characters (U+0000)",
        invalidDescription(
            () ->
                network
                    .plans(ORG1)
                    .registerPlan(
                        NewComputePlan.newBuilder()
                            .setKey(key())
                            .setName("p")
                            .putMetadata("k", "line\nthen\0")
                            .build())));

    String function = key();
    assertEquals(
        "OE0101: archive.storage_address: must not contain control characters (U+0000)",
        invalidDescription(
            () ->
                network
                    .functions(ORG1)
                    .registerFunction(
                        Network.newFunction(function)
                            .setArchive(
                                Addressable.newBuilder()
                                    .setChecksum("a".repeat(64))
                                    .setStorageAddress("http://x/\0"))
                            .build())));
    assertEquals(
        Status.Code.NOT_FOUND,
        refused(
                () ->
                    network
                        .functions(ORG1)
                        .getFunction(GetFunctionParam.newBuilder().setKey(function).build()))
            .getStatus()
            .getCode());

    assertEquals(
        "OE0101: filter.owner: must not contain control characters (U+0000)",
        invalidDescription(
            () ->
                network
                    .plans(ORG1)
                    .queryPlans(
                        QueryPlansParam.newBuilder()
                            .setFilter(PlanQueryFilter.newBuilder().setOwner("\0"))
                            .build())));
  }

  @Test
  void metadataValuesMayHoldLayoutButNamesMayNot() {
    String key = key();
    network
        .plans(ORG1)
        .registerPlan(
            NewComputePlan.newBuilder()
                .setKey(key)
                .setName("p")
                .putMetadata("notes", "first line\n\tsecond line\r\n")
                .build());
    assertEquals(
        "first line\n\tsecond line\r\n",
        network.plans(ORG1).getPlan(planKey(key)).getMetadataOrThrow("notes"));
    assertTrue(
        invalidDescription(
                () ->
                    network
                        .dataManagers(ORG1)
                        .registerDataManager(
                            NewDataManager.newBuilder()
                                .setKey(key())
                                .setName("two\nlines")
                                .setNewPermissions(PUBLIC)
                                .build()))
            .startsWith("OE0101: name: "));
  }

  private static GetComputePlanParam planKey(String key) {
    return GetComputePlanParam.newBuilder().setKey(key).build();
  }

  private static StatusRuntimeException invalid(Executable call) {
    StatusRuntimeException refusal = refused(call);
    assertEquals(Status.Code.INVALID_ARGUMENT, refusal.getStatus().getCode());
    return refusal;
  }

  private static String invalidDescription(Executable call) {
    return invalid(call).getStatus().getDescription();
  }
}
