package org.substra.node.scheduler.testing;

import io.agroal.api.AgroalDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;

/**
 * Fires a job through Quartz, as a firing would, and reads what it recorded in {@code job_runs}.
 */
public final class JobRuns {

  /** One row of {@code scheduler.job_runs}. */
  public record Run(long id, String outcome, String summary) {}

  private final AgroalDataSource dataSource;
  private final Scheduler quartz;

  public JobRuns(AgroalDataSource dataSource, Scheduler quartz) {
    this.dataSource = dataSource;
    this.quartz = quartz;
  }

  /** Triggers {@code job} now and waits for its run to be recorded. */
  public Run runNow(String job) throws SchedulerException, SQLException, InterruptedException {
    long before = lastId(job);
    quartz.triggerJob(JobKey.jobKey(job, "substra-node"));
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      List<Run> runs = runsAfter(job, before);
      if (!runs.isEmpty()) {
        return runs.get(0);
      }
      Thread.sleep(100);
    }
    throw new AssertionError("job " + job + " did not run within 60 s");
  }

  private long lastId(String job) throws SQLException {
    List<Run> runs = runsAfter(job, -1);
    return runs.isEmpty() ? 0 : runs.get(runs.size() - 1).id();
  }

  private List<Run> runsAfter(String job, long id) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select =
            connection.prepareStatement(
                "SELECT id, outcome, summary FROM scheduler.job_runs WHERE job = ? AND id > ?"
                    + " ORDER BY id")) {
      select.setString(1, job);
      select.setLong(2, id);
      List<Run> runs = new ArrayList<>();
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          runs.add(new Run(rows.getLong(1), rows.getString(2), rows.getString(3)));
        }
      }
      return runs;
    }
  }
}
