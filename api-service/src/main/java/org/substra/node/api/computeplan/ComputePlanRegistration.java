package org.substra.node.api.computeplan;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;
import org.substra.node.api.error.ApiException;
import org.substra.node.api.orchestrator.Orchestrator;
import org.substra.node.api.registration.Registrations;
import org.substra.node.api.registration.RequestJson;
import org.substra.node.api.registration.Visibility;
import org.substra.node.orchestrator.protocol.NewComputePlan;

/** Creates, renames and cancels compute plans (REST spec §4.6). */
@ApplicationScoped
public class ComputePlanRegistration {

  private static final String CANCELED = "PLAN_STATUS_CANCELED";

  private final Orchestrator orchestrator;
  private final ComputePlanReadModel plans;
  private final PlanCreators creators;
  private final Registrations registrations;
  private final Visibility visibility;

  ComputePlanRegistration(
      Orchestrator orchestrator,
      ComputePlanReadModel plans,
      PlanCreators creators,
      Registrations registrations,
      Visibility visibility) {
    this.orchestrator = orchestrator;
    this.plans = plans;
    this.creators = creators;
    this.registrations = registrations;
    this.visibility = visibility;
  }

  /**
   * The new plan as {@code GET} shows it, without {@code duration} (the SDK compares the two after
   * setting it); the tasks of a plan spec are posted separately and ignored here.
   */
  public Map<String, Object> create(String channel, String username, String body) {
    RequestJson request = RequestJson.parse(body, "the request body");
    String key = request.uuid("key");
    String tag = request.text("tag", "");
    if (tag.length() > 100) {
      throw ApiException.field(400, "tag", "Ensure this field has no more than 100 characters.");
    }
    NewComputePlan plan =
        NewComputePlan.newBuilder()
            .setKey(key)
            .setName(request.name())
            .setTag(tag)
            .putAllMetadata(request.metadata())
            .build();
    orchestrator.registerPlan(channel, plan).await().indefinitely();
    visibility.await(() -> plans.get(channel, key), "The compute plan");
    creators.record(key, username).await().indefinitely();
    Map<String, Object> created =
        new LinkedHashMap<>(plans.get(channel, key).await().indefinitely());
    created.remove("duration");
    created.remove("estimated_end_date");
    return created;
  }

  public void rename(String channel, String key, String body) {
    registrations.rename(
        "ComputePlan",
        () -> plans.get(channel, key),
        body,
        name -> orchestrator.renamePlan(channel, key, name));
  }

  /** Cancels the plan; answers once the read model shows it canceled. */
  public void cancel(String channel, String key) {
    ApiException.found(plans.get(channel, key).await().indefinitely(), "ComputePlan");
    orchestrator.cancelPlan(channel, key).await().indefinitely();
    visibility.await(
        () ->
            plans.get(channel, key).map(plan -> CANCELED.equals(plan.get("status")) ? plan : null),
        "The cancelation");
  }
}
