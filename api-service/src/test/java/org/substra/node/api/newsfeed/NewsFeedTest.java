package org.substra.node.api.newsfeed;

import static org.hamcrest.Matchers.equalTo;
import static org.substra.node.api.testing.ReadModelRows.dataManager;
import static org.substra.node.api.testing.ReadModelRows.plan;

import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.substra.node.api.testing.ReadModelRequests;
import org.substra.node.api.testing.ReadModelRows;
import org.substra.node.testing.Dependency;
import org.substra.node.testing.WithLocalDependencies;

/** {@code GET /news_feed/}: plan and dataset events of the channel, newest first (§4.11). */
@QuarkusTest
@WithLocalDependencies({Dependency.POSTGRESQL, Dependency.OBJECT_STORAGE, Dependency.ORCHESTRATOR})
class NewsFeedTest extends ReadModelRequests {

  static final String ENDED = "c2000000-0000-4000-8000-000000000001";
  static final String RUNNING = "c2000000-0000-4000-8000-000000000002";
  static final String FOREIGN = "c2000000-0000-4000-8000-000000000003";
  static final String DATASET = "d2000000-0000-4000-8000-000000000001";

  @BeforeEach
  void readModel() {
    givenReadModel(
        ReadModelRows.CLEAR
            + plan(
                ENDED,
                "mychannel",
                "ended",
                "",
                "{}",
                "2024-03-01T09:00:00Z",
                "PLAN_STATUS_DONE",
                "2024-03-01T10:00:00Z",
                "2024-03-01T12:00:00Z",
                1,
                1)
            + plan(
                RUNNING,
                "mychannel",
                "running",
                "",
                "{}",
                "2024-03-02T09:00:00Z",
                "PLAN_STATUS_DOING",
                "2024-03-02T10:00:00Z",
                null,
                2,
                1)
            + plan(
                FOREIGN,
                "yourchannel",
                "other",
                "",
                "{}",
                "2024-03-03T09:00:00Z",
                "PLAN_STATUS_CREATED",
                null,
                null,
                0,
                0)
            + dataManager(DATASET, "mychannel"));
  }

  @Test
  void theChannelsNewsNewestFirst() {
    user()
        .get("/news_feed/")
        .then()
        .statusCode(200)
        .body("count", equalTo(6))
        .body(
            "results.timestamp",
            equalTo(
                List.of(
                    "2024-03-02T10:00:00Z",
                    "2024-03-02T09:00:00Z",
                    "2024-03-01T12:00:00Z",
                    "2024-03-01T10:00:00Z",
                    "2024-03-01T09:00:00Z",
                    "2024-01-01T00:00:00Z")))
        .body(
            "results.status",
            equalTo(
                List.of(
                    "STATUS_DOING",
                    "STATUS_CREATED",
                    "STATUS_DONE",
                    "STATUS_DOING",
                    "STATUS_CREATED",
                    "STATUS_CREATED")))
        .body("results[5].asset_kind", equalTo("ASSET_DATA_MANAGER"))
        .body("results[0].detail", equalTo(Map.of()));
  }

  @Test
  void importantNewsAndTimeWindows() {
    user()
        .queryParam("important_news_only", "true")
        .get("/news_feed/")
        .then()
        .body("results.asset_key", equalTo(List.of(ENDED)));
    user()
        .queryParam("timestamp_after", "2024-03-01T10:00:00Z")
        .queryParam("timestamp_before", "2024-03-02T09:00:00Z")
        .get("/news_feed/")
        .then()
        .body("count", equalTo(2));
  }
}
