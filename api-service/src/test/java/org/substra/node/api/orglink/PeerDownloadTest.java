package org.substra.node.api.orglink;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.substra.node.api.auth.AuthenticationTest;
import org.substra.node.api.testing.OrganizationSecrets;
import org.substra.node.api.testing.ReadModelFixture;
import org.substra.node.testing.Dependency;
import org.substra.node.testing.WithLocalDependencies;

/**
 * A file owned by another organization is fetched from its owner (REST spec §5.2 step 6): the owner
 * here is an HTTP server that checks the pair and the headers of worker-spec §6.2, at the address
 * of its organization record.
 */
@QuarkusTest
@WithLocalDependencies({Dependency.POSTGRESQL, Dependency.OBJECT_STORAGE, Dependency.ORCHESTRATOR})
class PeerDownloadTest {

  static final String REMOTE = "b1111111-1111-4111-8111-111111111111";
  static final String UNLINKED = "b2222222-2222-4222-8222-222222222222";

  @Inject Pool pool;

  @ConfigProperty(name = "quarkus.datasource.jdbc.url")
  String jdbcUrl;

  HttpServer owner;
  final Map<String, String> seen = new ConcurrentHashMap<>();
  String token;

  @BeforeEach
  void network() throws Exception {
    owner = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    String expected =
        "Basic "
            + Base64.getEncoder()
                .encodeToString("MyOrg1MSP:SECRET_ORG2_ORG1".getBytes(StandardCharsets.UTF_8));
    owner.createContext(
        "/",
        exchange -> {
          exchange
              .getRequestHeaders()
              .forEach((name, values) -> seen.put(name.toLowerCase(), values.get(0)));
          seen.put("path", exchange.getRequestURI().getPath());
          byte[] body;
          int status;
          if (expected.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            body = "remote opener\n".getBytes(StandardCharsets.UTF_8);
            status = 200;
            exchange
                .getResponseHeaders()
                .add("Content-Disposition", "attachment; filename=\"opener.py\"");
            exchange.getResponseHeaders().add("Connection", "close");
          } else {
            body = "{\"detail\": \"Invalid username/password.\"}".getBytes(StandardCharsets.UTF_8);
            status = 401;
          }
          exchange.sendResponseHeaders(status, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    owner.start();

    ReadModelFixture.migrate(jdbcUrl);
    Flyway.configure()
        .dataSource(jdbcUrl, "substra", "substra")
        .schemas("org_link")
        .defaultSchema("org_link")
        .locations("filesystem:../org-link-service/src/main/resources/db/migration")
        .load()
        .migrate();
    ReadModelFixture.execute(
        pool,
        "DELETE FROM org_link.outgoing_organizations; DELETE FROM org_link.incoming_organizations;"
            + " INSERT INTO org_link.incoming_organizations (organization_id, secret_hash) VALUES"
            + " ('MyOrg1MSP', '"
            + OrganizationSecrets.hash("self-secret")
            + "');"
            + " INSERT INTO org_link.outgoing_organizations (organization_id, secret) VALUES"
            + " ('MyOrg2MSP', 'SECRET_ORG2_ORG1');"
            + " DELETE FROM read_model.organizations WHERE id IN ('MyOrg2MSP', 'MyOrg3MSP');"
            + " INSERT INTO read_model.organizations (channel, id, address, creation_date) VALUES"
            + " ('mychannel', 'MyOrg2MSP', 'http://127.0.0.1:"
            + owner.getAddress().getPort()
            + "', now()), ('mychannel', 'MyOrg3MSP', 'http://127.0.0.1:1', now());"
            + " DELETE FROM read_model.data_sample_data_managers;"
            + " DELETE FROM read_model.data_managers;"
            + manager(REMOTE, "MyOrg2MSP")
            + manager(UNLINKED, "MyOrg3MSP"));
    token = AuthenticationTest.login().getString("token");
  }

  @AfterEach
  void stopOwner() {
    owner.stop(0);
  }

  @Test
  void aUserGetsTheOwnersFileThroughThisNode() {
    given()
        .header("Authorization", "Token " + token)
        .get("/data_manager/" + REMOTE + "/opener/")
        .then()
        .statusCode(200)
        .header("Content-Disposition", equalTo("attachment; filename=\"opener.py\""))
        .body(equalTo("remote opener\n"));

    assertThat(seen)
        .containsEntry("path", "/data_manager/" + REMOTE + "/opener/")
        .containsEntry("accept", "application/json;version=0.0")
        .containsEntry("substra-channel-name", "mychannel")
        .containsEntry("substra-proxy-asset", "True");
  }

  @Test
  void thisNodesWorkersFetchATaskInputWithoutTheProxyMark() {
    given()
        .auth()
        .preemptive()
        .basic("MyOrg1MSP", "self-secret")
        .header("Substra-Channel-Name", "mychannel")
        .get("/data_manager/" + REMOTE + "/opener/")
        .then()
        .statusCode(200)
        .body(equalTo("remote opener\n"));

    assertThat(seen)
        .containsEntry("substra-channel-name", "mychannel")
        .doesNotContainKey("substra-proxy-asset");
  }

  @Test
  void anOwnerWithoutOutgoingCredentialsIsAnError() {
    given()
        .header("Authorization", "Token " + token)
        .get("/data_manager/" + UNLINKED + "/opener/")
        .then()
        .statusCode(500)
        .body("detail", containsString("No outgoing credentials for MyOrg3MSP"));
  }

  @Test
  void theOwnersRefusalIsRelayed() {
    ReadModelFixture.execute(
        pool,
        "UPDATE org_link.outgoing_organizations SET secret = 'stale' WHERE organization_id ="
            + " 'MyOrg2MSP'");
    given()
        .header("Authorization", "Token " + token)
        .get("/data_manager/" + REMOTE + "/opener/")
        .then()
        .statusCode(401)
        .body(containsString("Invalid username/password."));
  }

  private static String manager(String key, String ownerId) {
    return " INSERT INTO read_model.data_managers (key, channel, name, owner,"
        + " description_checksum, description_address, opener_checksum, opener_address,"
        + " process_public, process_authorized_ids, download_public, download_authorized_ids,"
        + " logs_public, logs_authorized_ids, metadata, creation_date) VALUES ('"
        + key
        + "', 'mychannel', 'data', '"
        + ownerId
        + "', 'd', 'x', 'o', 'y', false, '{"
        + ownerId
        + ",MyOrg1MSP}', false, '{MyOrg1MSP}', false, '{MyOrg1MSP}', '{}',"
        + " '2024-01-01T00:00:00Z');";
  }
}
