package org.substra.node.orchestrator.function;

import static org.substra.node.orchestrator.protocol.FunctionStatus.FUNCTION_STATUS_BUILDING;
import static org.substra.node.orchestrator.protocol.FunctionStatus.FUNCTION_STATUS_CANCELED;
import static org.substra.node.orchestrator.protocol.FunctionStatus.FUNCTION_STATUS_FAILED;
import static org.substra.node.orchestrator.protocol.FunctionStatus.FUNCTION_STATUS_READY;
import static org.substra.node.orchestrator.protocol.FunctionStatus.FUNCTION_STATUS_WAITING;

import java.util.EnumSet;
import java.util.Set;
import org.substra.node.orchestrator.error.OrchestrationException;
import org.substra.node.orchestrator.protocol.FunctionAction;
import org.substra.node.orchestrator.protocol.FunctionStatus;

/**
 * The function build state machine (spec §3.4), with the reference's transition names. FAILED is
 * only reachable from BUILDING, whatever the reference's documentation draws.
 */
public enum FunctionTransition {
  BUILDING("transitionBuilding", FUNCTION_STATUS_BUILDING, EnumSet.of(FUNCTION_STATUS_WAITING)),
  READY("transitionReady", FUNCTION_STATUS_READY, EnumSet.of(FUNCTION_STATUS_BUILDING)),
  FAILED("transitionFailed", FUNCTION_STATUS_FAILED, EnumSet.of(FUNCTION_STATUS_BUILDING)),
  CANCELED(
      "transitionCanceled",
      FUNCTION_STATUS_CANCELED,
      EnumSet.of(FUNCTION_STATUS_WAITING, FUNCTION_STATUS_BUILDING));

  private final String reference;
  private final FunctionStatus target;
  private final Set<FunctionStatus> sources;

  FunctionTransition(String reference, FunctionStatus target, Set<FunctionStatus> sources) {
    this.reference = reference;
    this.target = target;
    this.sources = sources;
  }

  public FunctionStatus target() {
    return target;
  }

  public void checkFrom(FunctionStatus current) {
    if (!sources.contains(current)) {
      throw OrchestrationException.illegalTransition(reference, current.name());
    }
  }

  /** The transition an action asks for; UNKNOWN (or a future value) is a bad request. */
  public static FunctionTransition of(FunctionAction action) {
    return switch (action) {
      case FUNCTION_ACTION_BUILDING -> BUILDING;
      case FUNCTION_ACTION_READY -> READY;
      case FUNCTION_ACTION_FAILED -> FAILED;
      case FUNCTION_ACTION_CANCELED -> CANCELED;
      default -> throw OrchestrationException.badRequest("unsupported action");
    };
  }
}
