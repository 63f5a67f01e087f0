package org.substra.node.orchestrator.organization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.substra.node.orchestrator.OrchestratorChannel.as;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.substra.node.orchestrator.CleanOrchestrator;
import org.substra.node.orchestrator.OrchestratorChannel;
import org.substra.node.orchestrator.protocol.GetAllOrganizationsParam;
import org.substra.node.orchestrator.protocol.Organization;
import org.substra.node.orchestrator.protocol.OrganizationServiceGrpc;
import org.substra.node.orchestrator.protocol.OrganizationServiceGrpc.OrganizationServiceBlockingStub;
import org.substra.node.orchestrator.protocol.RegisterOrganizationParam;
import org.substra.node.testing.Dependency;
import org.substra.node.testing.WithLocalDependencies;

/** Spec §3.3 over a real gRPC channel. */
@QuarkusTest
@WithLocalDependencies(
    value = {Dependency.POSTGRESQL, Dependency.RABBITMQ},
    database = "orchestrator_test")
class OrganizationTest {

  @Inject Pool pool;
  private OrchestratorChannel orchestrator;
  private OrganizationServiceBlockingStub organizations;

  @BeforeEach
  void open() {
    CleanOrchestrator.truncate(pool);
    orchestrator = new OrchestratorChannel();
    organizations = OrganizationServiceGrpc.newBlockingStub(orchestrator.channel());
  }

  @AfterEach
  void close() throws InterruptedException {
    orchestrator.close();
  }

  @Test
  void registersTheCallerWithItsAddress() {
    Organization registered = register("MyOrg1MSP", "mychannel", "http://org-1.example:8000");

    assertEquals("MyOrg1MSP", registered.getId());
    assertEquals("http://org-1.example:8000", registered.getAddress());
    assertTrue(registered.getCreationDate().getSeconds() > 0);
  }

  @Test
  void registeringTwiceInAChannelIsAConflict() {
    register("MyOrg1MSP", "mychannel", "http://org-1.example:8000");

    StatusRuntimeException again =
        assertThrows(
            StatusRuntimeException.class,
            () -> register("MyOrg1MSP", "mychannel", "http://org-1.example:8000"));

    assertEquals(Status.Code.ALREADY_EXISTS, again.getStatus().getCode());
    assertEquals(
        "OE0006: organization with key \"MyOrg1MSP\" already exists",
        again.getStatus().getDescription());
  }

  @Test
  void refusesAnAddressThatIsNotAnAbsoluteUrl() {
    StatusRuntimeException refused =
        assertThrows(
            StatusRuntimeException.class, () -> register("MyOrg1MSP", "mychannel", "not a url"));

    assertEquals(Status.Code.INVALID_ARGUMENT, refused.getStatus().getCode());
    assertTrue(
        refused.getStatus().getDescription().startsWith("OE0101: organization is not valid"));
    assertEquals(List.of(), all("MyOrg1MSP", "mychannel"), "nothing was registered");
  }

  @Test
  void listsTheOrganizationsOfTheCallersChannelOnly() {
    register("MyOrg1MSP", "mychannel", "http://org-1.example:8000");
    register("MyOrg2MSP", "mychannel", "");
    register("MyOrg2MSP", "yourchannel", "http://org-2.example:8000");

    assertEquals(List.of("MyOrg1MSP", "MyOrg2MSP"), all("MyOrg1MSP", "mychannel"));
    assertEquals(List.of("MyOrg2MSP"), all("MyOrg2MSP", "yourchannel"));
  }

  @Test
  void concurrentRegistrationsOfOneOrganizationLeaveOneRowAndOneEvent() throws Exception {
    int callers = 6;
    ExecutorService pool = Executors.newFixedThreadPool(callers);
    List<Future<Status.Code>> outcomes = new ArrayList<>();
    CountDownLatch start = new CountDownLatch(1);
    for (int i = 0; i < callers; i++) {
      outcomes.add(
          pool.submit(
              () -> {
                start.await();
                try {
                  register("MyOrg3MSP", "mychannel", "");
                  return Status.Code.OK;
                } catch (StatusRuntimeException e) {
                  return e.getStatus().getCode();
                }
              }));
    }
    start.countDown();
    List<Status.Code> codes = new ArrayList<>();
    for (Future<Status.Code> outcome : outcomes) {
      codes.add(outcome.get(30, TimeUnit.SECONDS));
    }
    pool.shutdown();

    assertEquals(1, codes.stream().filter(Status.Code.OK::equals).count(), codes.toString());
    assertEquals(
        callers - 1,
        codes.stream().filter(Status.Code.ALREADY_EXISTS::equals).count(),
        "serialization failures are retried into the answer a sequential run gives: " + codes);
    assertEquals(List.of("MyOrg3MSP"), all("MyOrg3MSP", "mychannel"));
  }

  private Organization register(String mspid, String channel, String address) {
    return as(organizations, mspid, channel)
        .registerOrganization(RegisterOrganizationParam.newBuilder().setAddress(address).build());
  }

  private List<String> all(String mspid, String channel) {
    return as(organizations, mspid, channel)
        .getAllOrganizations(GetAllOrganizationsParam.getDefaultInstance())
        .getOrganizationsList()
        .stream()
        .map(Organization::getId)
        .toList();
  }
}
