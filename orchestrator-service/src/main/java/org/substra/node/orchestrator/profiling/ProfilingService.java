package org.substra.node.orchestrator.profiling;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.substra.node.orchestrator.asset.Validator;
import org.substra.node.orchestrator.identity.Caller;
import org.substra.node.orchestrator.protocol.AssetKind;
import org.substra.node.orchestrator.protocol.Event;
import org.substra.node.orchestrator.protocol.EventKind;
import org.substra.node.orchestrator.protocol.ProfilingStep;
import org.substra.node.orchestrator.storage.Transactions;

/** Profiling steps (spec §3.12): not stored, only announced by an event. */
@ApplicationScoped
public class ProfilingService {

  private final Transactions transactions;

  ProfilingService(Transactions transactions) {
    this.transactions = transactions;
  }

  public Uni<Void> register(Caller caller, ProfilingStep step) {
    return Uni.createFrom()
        .voidItem()
        .invoke(
            () ->
                Validator.of("profiling step")
                    .uuid("asset_key", step.getAssetKey())
                    .name("step", step.getStep())
                    .check("duration", step.getDuration() != 0, "cannot be blank")
                    .validate())
        .flatMap(
            valid ->
                transactions.write(
                    caller,
                    tx -> {
                      tx.emit(
                          Event.newBuilder()
                              .setAssetKey(step.getAssetKey())
                              .setAssetKind(AssetKind.ASSET_PROFILING_STEP)
                              .setEventKind(EventKind.EVENT_ASSET_CREATED)
                              .setProfilingStep(step));
                      return Uni.createFrom().voidItem();
                    }));
  }
}
