package org.substra.node.orchestrator.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.substra.node.orchestrator.OrchestratorChannel.as;

import grpc.health.v1.HealthGrpc;
import grpc.health.v1.HealthOuterClass.HealthCheckRequest;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse.ServingStatus;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.substra.node.orchestrator.OrchestratorChannel;
import org.substra.node.orchestrator.protocol.InfoServiceGrpc;
import org.substra.node.orchestrator.protocol.InfoServiceGrpc.InfoServiceBlockingStub;
import org.substra.node.orchestrator.protocol.QueryVersionParam;
import org.substra.node.testing.Dependency;
import org.substra.node.testing.WithLocalDependencies;

/** Spec §2.1–2.2, over a real gRPC channel. */
@QuarkusTest
@WithLocalDependencies(
    value = {Dependency.POSTGRESQL, Dependency.RABBITMQ},
    database = "orchestrator_test")
class IdentityTest {

  private OrchestratorChannel orchestrator;
  private InfoServiceBlockingStub info;

  @BeforeEach
  void open() {
    orchestrator = new OrchestratorChannel();
    info = InfoServiceGrpc.newBlockingStub(orchestrator.channel());
  }

  @AfterEach
  void close() throws InterruptedException {
    orchestrator.close();
  }

  @Test
  void aMemberOfTheChannelGetsTheVersion() {
    String version =
        as(info, "MyOrg1MSP", "mychannel")
            .queryVersion(QueryVersionParam.getDefaultInstance())
            .getOrchestrator();

    assertEquals("1.0.0", version);
  }

  @Test
  void healthNeedsNoIdentity() {
    ServingStatus status =
        HealthGrpc.newBlockingStub(orchestrator.channel())
            .check(HealthCheckRequest.getDefaultInstance())
            .getStatus();

    assertEquals(ServingStatus.SERVING, status);
  }

  @Test
  void missingMspidIsAFailedPrecondition() {
    assertRefused(
        Status.Code.FAILED_PRECONDITION,
        "OE0003: missing or invalid header 'mspid'",
        as(info, null, "mychannel"));
  }

  @Test
  void twoMspidValuesAreRefusedLikeNone() {
    Metadata twice = new Metadata();
    Metadata.Key<String> mspid = Metadata.Key.of("mspid", Metadata.ASCII_STRING_MARSHALLER);
    twice.put(mspid, "MyOrg1MSP");
    twice.put(mspid, "MyOrg2MSP");
    InfoServiceBlockingStub stub =
        as(info, null, "mychannel")
            .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(twice));

    assertRefused(
        Status.Code.FAILED_PRECONDITION, "OE0003: missing or invalid header 'mspid'", stub);
  }

  @Test
  void missingChannelIsUnknownAsInTheReference() {
    assertRefused(
        Status.Code.UNKNOWN, "missing or invalid header 'channel'", as(info, "MyOrg1MSP", null));
  }

  @Test
  void anOrganizationOfNoChannelIsUnknown() {
    assertRefused(
        Status.Code.UNKNOWN,
        "organization \"NobodyMSP\" is unknown",
        as(info, "NobodyMSP", "mychannel"));
  }

  @Test
  void aKnownOrganizationOutsideTheChannelHasNoAccess() {
    assertRefused(
        Status.Code.UNKNOWN,
        "organization \"MyOrg1MSP\" has not access to channel \"yourchannel\"",
        as(info, "MyOrg1MSP", "yourchannel"));
  }

  private static void assertRefused(
      Status.Code code, String message, InfoServiceBlockingStub stub) {
    StatusRuntimeException refused =
        assertThrows(
            StatusRuntimeException.class,
            () -> stub.queryVersion(QueryVersionParam.getDefaultInstance()));
    assertEquals(code, refused.getStatus().getCode());
    assertEquals(message, refused.getStatus().getDescription());
  }
}
