package org.substra.node.api.orglink;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.substra.node.api.storage.Buckets;
import org.substra.node.api.testing.OrganizationSecrets;
import org.substra.node.api.testing.ReadModelFixture;
import org.substra.node.testing.Dependency;
import org.substra.node.testing.WithLocalDependencies;

/**
 * Other backends calling with Basic credentials (REST spec §2.8): checked against
 * org-link-service's incoming credentials (its own migrations, schema {@code org_link}), channel
 * from the header, permissions checked for the calling organization.
 */
@QuarkusTest
@WithLocalDependencies({Dependency.POSTGRESQL, Dependency.OBJECT_STORAGE, Dependency.ORCHESTRATOR})
class OrganizationAuthenticationTest {

  static final String SHARED = "a1111111-1111-4111-8111-111111111111";
  static final String PRIVATE = "a2222222-2222-4222-8222-222222222222";
  static final String MODEL = "a3333333-3333-4333-8333-333333333333";
  static final byte[] WEIGHTS = "org-1 weights".getBytes(StandardCharsets.UTF_8);
  static final byte[] OPENER = "def get_data(): return 42\n".getBytes(StandardCharsets.UTF_8);

  @Inject Pool pool;
  @Inject MinioClient storage;

  @ConfigProperty(name = "quarkus.datasource.jdbc.url")
  String jdbcUrl;

  @BeforeEach
  void network() throws Exception {
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
        "DELETE FROM org_link.incoming_organizations;"
            + " INSERT INTO org_link.incoming_organizations (organization_id, secret_hash, channel)"
            + " VALUES ('MyOrg2MSP', '"
            + OrganizationSecrets.hash("peer-secret")
            + "', 'mychannel'), ('MyOrg3MSP', '"
            + OrganizationSecrets.hash("third-secret")
            + "', 'otherchannel');"
            + " DELETE FROM read_model.data_sample_data_managers;"
            + " DELETE FROM read_model.data_managers;"
            + manager(SHARED, "{MyOrg1MSP,MyOrg2MSP,MyOrg3MSP}")
            + manager(PRIVATE, "{MyOrg1MSP}")
            + " DELETE FROM read_model.models WHERE key = '"
            + MODEL
            + "'; INSERT INTO read_model.models (key, channel, compute_task_key,"
            + " compute_task_output_identifier, owner, address_checksum, address, process_public,"
            + " process_authorized_ids, download_public, download_authorized_ids, creation_date)"
            + " VALUES ('"
            + MODEL
            + "', 'mychannel', '"
            + java.util.UUID.randomUUID()
            + "', 'model', 'MyOrg1MSP', 'c', 'http://x/model/', false, '{MyOrg1MSP,MyOrg2MSP}',"
            + " false, '{MyOrg1MSP}', '2024-01-01T00:00:00Z');");
    storage.putObject(
        PutObjectArgs.builder().bucket(Buckets.MODELS).object(Buckets.modelObject(MODEL)).stream(
                new ByteArrayInputStream(WEIGHTS), WEIGHTS.length, -1)
            .build());
    for (String key : new String[] {SHARED, PRIVATE}) {
      storage.putObject(
          PutObjectArgs.builder().bucket(Buckets.DATA_MANAGERS).object(key + "/opener").stream(
                  new ByteArrayInputStream(OPENER), OPENER.length, -1)
              .build());
    }
  }

  @Test
  void aLinkedOrganizationDownloadsWhatItsPermissionsAllow() {
    org("MyOrg2MSP", "peer-secret", "mychannel")
        .get("/data_manager/" + SHARED + "/opener/")
        .then()
        .statusCode(200)
        .body(equalTo(new String(OPENER, StandardCharsets.UTF_8)));
    // The calling organization's permission counts, not this node's.
    org("MyOrg2MSP", "peer-secret", "mychannel")
        .get("/data_manager/" + PRIVATE + "/opener/")
        .then()
        .statusCode(403)
        .body("detail", containsString("MyOrg2MSP is not authorized"))
        .body(not(containsString("get_data")));
  }

  @Test
  void aPeersWorkerGetsAnInputModelButAProxiedExportNeedsTheDownloadPermission() {
    // No proxy mark: a task input, process permission, whatever the export setting.
    org("MyOrg2MSP", "peer-secret", "mychannel")
        .get("/model/" + MODEL + "/file/")
        .then()
        .statusCode(200)
        .body(equalTo(new String(WEIGHTS, StandardCharsets.UTF_8)));
    // On behalf of a user of MyOrg2MSP: export rules (disabled on this channel here).
    org("MyOrg2MSP", "peer-secret", "mychannel")
        .header("Substra-Proxy-Asset", "True")
        .get("/model/" + MODEL + "/file/")
        .then()
        .statusCode(403)
        .body(not(containsString("org-1 weights")));
  }

  @Test
  void aWrongPairIsRefusedWithoutLeakingTheFile() {
    for (RequestSpecification request :
        new RequestSpecification[] {
          org("MyOrg2MSP", "wrong-secret", "mychannel"),
          org("NoSuchOrg", "peer-secret", "mychannel"),
          given()
              .header("Authorization", "Basic not-base64!")
              .header("Substra-Channel-Name", "mychannel")
        }) {
      request
          .get("/data_manager/" + SHARED + "/opener/")
          .then()
          .statusCode(401)
          .body(not(containsString("get_data")));
    }
  }

  @Test
  void anOrganizationOfAnotherChannelIsForbidden() {
    org("MyOrg3MSP", "third-secret", "mychannel")
        .get("/data_manager/" + SHARED + "/opener/")
        .then()
        .statusCode(403)
        .body(not(containsString("get_data")));
    org("MyOrg2MSP", "peer-secret", "otherchannel")
        .get("/data_manager/" + SHARED + "/opener/")
        .then()
        .statusCode(403);
  }

  @Test
  void theChannelHeaderIsRequired() {
    given()
        .auth()
        .preemptive()
        .basic("MyOrg2MSP", "peer-secret")
        .get("/data_manager/" + SHARED + "/opener/")
        .then()
        .statusCode(400)
        .body("detail", equalTo("Could not determine channel name"));
  }

  @Test
  void basicCredentialsOnlyCountOnTheOrganizationRoutes() {
    org("MyOrg2MSP", "peer-secret", "mychannel").get("/data_manager/").then().statusCode(401);
    org("MyOrg2MSP", "peer-secret", "mychannel")
        .get("/data_manager/" + SHARED + "/")
        .then()
        .statusCode(401);
  }

  private static RequestSpecification org(String id, String secret, String channel) {
    return given().auth().preemptive().basic(id, secret).header("Substra-Channel-Name", channel);
  }

  private static String manager(String key, String processAuthorized) {
    return " INSERT INTO read_model.data_managers (key, channel, name, owner,"
        + " description_checksum, description_address, opener_checksum, opener_address,"
        + " process_public, process_authorized_ids, download_public, download_authorized_ids,"
        + " logs_public, logs_authorized_ids, metadata, creation_date) VALUES ('"
        + key
        + "', 'mychannel', 'data', 'MyOrg1MSP', 'd', 'x', 'o', 'y', false, '"
        + processAuthorized
        + "', false, '{MyOrg1MSP}', false, '{MyOrg1MSP}', '{}', '2024-01-01T00:00:00Z');";
  }
}
