package org.substra.node.compute.work;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;
import org.substra.node.compute.config.ComputeConfig;
import org.substra.node.compute.executor.Executor;
import org.substra.node.compute.staging.TaskWorkspace;

/**
 * A plan is over (worker-spec §2.11, §5.4): its compute pods or leftover process go, then its work
 * directory {@code <work-dir>/<plan>}. Runs behind the plan's tasks, so nothing of the plan runs;
 * doing it again finds nothing to delete.
 */
@ApplicationScoped
public class PlanTeardown {

  private static final Logger LOG = Logger.getLogger(PlanTeardown.class);

  /** The key becomes a path under the work directory: nothing that could leave it. */
  private static final Pattern PLAN_KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]*");

  private final ComputeConfig config;

  public PlanTeardown(ComputeConfig config) {
    this.config = config;
  }

  /**
   * @return false when {@code planKey} is not a plan key (nothing done)
   */
  public boolean tearDown(Executor executor, String planKey)
      throws IOException, InterruptedException {
    if (!PLAN_KEY.matcher(planKey).matches()) {
      LOG.warnf("not tearing down '%s': not a plan key", planKey);
      return false;
    }
    executor.tearDown(planKey);
    TaskWorkspace.of(config.workDir(), planKey).delete();
    LOG.infof("plan %s torn down", planKey);
    return true;
  }
}
