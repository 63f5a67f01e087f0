package org.substra.node.orglink.probes;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.elytron.security.common.BcryptUtil;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.substra.node.orglink.accounts.AccountOperator;
import org.substra.node.orglink.accounts.AccountsFixture;
import org.substra.node.orglink.config.OrgLinkConfig;
import org.substra.node.testing.Dependency;
import org.substra.node.testing.WithLocalDependencies;

/**
 * The outgoing check against a live peer (an HTTP server that checks the Basic pair and the headers
 * of worker-spec §6.2), a wrong secret, a stopped peer and a peer whose address comes from the
 * orchestrator's organization record.
 */
@QuarkusTest
@WithLocalDependencies(value = Dependency.POSTGRESQL, database = "orglink_test")
class OutgoingCheckTest {

  @Inject DataSource dataSource;
  @Inject OrgLinkConfig config;
  @Inject AccountOperator operator;

  HttpServer peer;
  List<Map<String, String>> seen = new CopyOnWriteArrayList<>();

  @BeforeEach
  void network() throws Exception {
    peer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    String expected =
        "Basic "
            + Base64.getEncoder()
                .encodeToString((config.mspId() + ":S1").getBytes(StandardCharsets.UTF_8));
    peer.createContext(
        "/info/",
        exchange -> {
          seen.add(
              Map.of(
                  "accept", String.valueOf(exchange.getRequestHeaders().getFirst("Accept")),
                  "channel",
                      String.valueOf(
                          exchange.getRequestHeaders().getFirst("Substra-Channel-Name"))));
          int status =
              expected.equals(exchange.getRequestHeaders().getFirst("Authorization")) ? 200 : 401;
          exchange.sendResponseHeaders(status, -1);
          exchange.close();
        });
    peer.start();
    int stopped;
    try (ServerSocket socket = new ServerSocket(0)) {
      stopped = socket.getLocalPort();
    }
    String live = "http://127.0.0.1:" + peer.getAddress().getPort();

    Path dir = config.accountsDir();
    AccountsFixture.reset(dataSource, dir);
    AccountsFixture.execute(
        dataSource,
        "create schema if not exists read_model; create table if not exists"
            + " read_model.organizations (channel text not null, id text not null, address text"
            + " not null, creation_date timestamptz not null, primary key (channel, id));"
            + " delete from read_model.organizations; insert into read_model.organizations values"
            + " ('mychannel', 'registered-peer', '"
            + live
            + "', now()); insert into api.users (username, password_hash, channel) values"
            + " ('operator', '"
            + BcryptUtil.bcryptHash("operator-password")
            + "', 'mychannel')");
    Files.writeString(
        dir.resolve("outgoing_organizations"),
        "live-peer S1 "
            + live
            + "\nwrong-secret-peer NOT_S1 "
            + live
            + "\nstopped-peer S1 http://127.0.0.1:"
            + stopped
            + "\nregistered-peer S1\nunknown-peer S1\n");
    assertThat(operator.syncIfChanged()).isTrue();
  }

  @AfterEach
  void stopPeer() {
    peer.stop(0);
  }

  @Test
  void reportsEachOutgoingOrganizationAsJson() {
    JsonPath json =
        given()
            .auth()
            .preemptive()
            .basic("operator", "operator-password")
            .accept("application/json")
            .get("/outgoing-organizations")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();

    Map<String, String> status =
        json.getList("", Map.class).stream()
            .collect(
                Collectors.toMap(
                    row -> (String) row.get("organizationId"),
                    row -> (String) row.get("httpStatus")));
    assertThat(status)
        .containsOnlyKeys(
            "live-peer", "wrong-secret-peer", "stopped-peer", "registered-peer", "unknown-peer")
        .containsEntry("live-peer", "200")
        .containsEntry("wrong-secret-peer", "401")
        .containsEntry("registered-peer", "200");
    assertThat(status.get("stopped-peer")).contains("ConnectException");
    assertThat(status.get("unknown-peer")).contains("not registered");
    assertThat(seen)
        .isNotEmpty()
        .allSatisfy(
            headers ->
                assertThat(headers)
                    .containsEntry("accept", "application/json;version=0.0")
                    .containsEntry("channel", "mychannel"));
  }

  @Test
  void printsTheReferenceTableAndFeedsMetricsAndHealth() {
    String table =
        given()
            .auth()
            .preemptive()
            .basic("operator", "operator-password")
            .accept("text/plain")
            .get("/outgoing-organizations")
            .then()
            .statusCode(200)
            .extract()
            .asString();
    String live = "http://127.0.0.1:" + peer.getAddress().getPort();
    assertThat(table.lines().map(line -> line.replaceAll(" +", " ")))
        .contains(
            "| org_id | org_address | http_status |",
            "| live-peer | " + live + " | 200 |",
            "| wrong-secret-peer | " + live + " | 401 |");

    given()
        .get("/q/metrics")
        .then()
        .statusCode(200)
        .body(containsString("org_link_peer_up{organization=\"live-peer\"} 1.0"))
        .body(containsString("org_link_peer_up{organization=\"stopped-peer\"} 0.0"));
    // A stopped peer is a detail, not a reason to take this node out of service.
    given()
        .get("/q/health/ready")
        .then()
        .statusCode(200)
        .body("status", equalTo("UP"))
        .body(containsString("peer stopped-peer"));
  }

  @Test
  void onlyTheNodesAdminUsersMayAsk() {
    given().get("/outgoing-organizations").then().statusCode(401);
    given()
        .auth()
        .preemptive()
        .basic("operator", "wrong")
        .get("/outgoing-organizations")
        .then()
        .statusCode(401)
        .body(org.hamcrest.Matchers.not(containsString("live-peer")));
  }
}
