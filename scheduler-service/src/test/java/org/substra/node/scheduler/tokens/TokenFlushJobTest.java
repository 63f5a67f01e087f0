package org.substra.node.scheduler.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.quartz.Scheduler;
import org.substra.node.scheduler.testing.JobRuns;
import org.substra.node.scheduler.testing.OwnerSchemas;
import org.substra.node.testing.Dependency;
import org.substra.node.testing.WithLocalDependencies;

@QuarkusTest
@WithLocalDependencies({Dependency.POSTGRESQL, Dependency.ORCHESTRATOR})
class TokenFlushJobTest {

  @Inject AgroalDataSource dataSource;
  @Inject Scheduler quartz;

  private long userId;
  private final String prefix = UUID.randomUUID().toString().substring(0, 8);

  @BeforeEach
  void user() throws SQLException {
    OwnerSchemas.migrate(dataSource);
    try (Connection connection = dataSource.getConnection();
        PreparedStatement insert =
            connection.prepareStatement(
                "INSERT INTO api.users (username, password_hash) VALUES (?, 'x') RETURNING id")) {
      insert.setString(1, "flush-" + prefix);
      try (ResultSet row = insert.executeQuery()) {
        row.next();
        userId = row.getLong(1);
      }
    }
  }

  @Test
  void flushesExpiredTokensOnlyAndIsIdempotent() throws Exception {
    token("expired-implicit", "IMPLICIT", "now() - interval '1 minute'");
    token("expired-api", "API", "now() - interval '3 days'");
    token("valid-implicit", "IMPLICIT", "now() + interval '1 hour'");
    token("api-no-expiry", "API", "NULL");

    JobRuns runs = new JobRuns(dataSource, quartz);
    JobRuns.Run first = runs.runNow(TokenFlushJob.ID);

    assertThat(first.outcome()).isEqualTo("SUCCESS");
    assertThat(remainingNotes()).containsExactlyInAnyOrder("valid-implicit", "api-no-expiry");

    JobRuns.Run second = runs.runNow(TokenFlushJob.ID);
    assertThat(second.outcome()).isEqualTo("SUCCESS");
    assertThat(second.summary()).isEqualTo("flushed 0 expired tokens");
    assertThat(remainingNotes()).containsExactlyInAnyOrder("valid-implicit", "api-no-expiry");

    String metrics = RestAssured.get("/q/metrics").then().statusCode(200).extract().asString();
    assertThat(metrics)
        .containsPattern(
            "scheduler_job_runs_total\\{[^}]*job=\"token-flush\"[^}]*outcome=\"SUCCESS\"")
        .containsPattern("scheduler_job_duration_seconds_count\\{[^}]*job=\"token-flush\"")
        .containsPattern("scheduler_job_last_run\\{job=\"token-flush\"} 1\\.[0-9.]+E9")
        .containsPattern("scheduler_job_last_success\\{job=\"token-flush\"} 1\\.[0-9.]+E9");
  }

  private void token(String note, String kind, String expiresAt) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement insert =
            connection.prepareStatement(
                "INSERT INTO api.tokens (id, key, user_id, kind, note, created_at, expires_at)"
                    + " VALUES (?, ?, ?, ?, ?, now() - interval '5 days', "
                    + expiresAt
                    + ")")) {
      insert.setObject(1, UUID.randomUUID());
      insert.setString(
          2, (UUID.randomUUID().toString().replace("-", "") + "00000000").substring(0, 40));
      insert.setLong(3, userId);
      insert.setString(4, kind);
      insert.setString(5, note);
      insert.executeUpdate();
    }
  }

  private List<String> remainingNotes() throws SQLException {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select =
            connection.prepareStatement("SELECT note FROM api.tokens WHERE user_id = ?")) {
      select.setLong(1, userId);
      List<String> notes = new ArrayList<>();
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          notes.add(rows.getString(1));
        }
      }
      return notes;
    }
  }
}
