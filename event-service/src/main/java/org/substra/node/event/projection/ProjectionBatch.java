package org.substra.node.event.projection;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one projection transaction keeps in memory: the compute plans it touched, read once and
 * written once at the end however many of their tasks' events it applies.
 */
public final class ProjectionBatch {

  final Map<String, PlanRepository.PlanRow> plans = new LinkedHashMap<>();
}
